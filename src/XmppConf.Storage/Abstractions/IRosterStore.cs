namespace XmppConf.Storage.Abstractions;

/// <summary>
/// Durable rosters, keyed by the owner's bare JID and the contact's bare JID (both normalised
/// by the caller). Every change bumps a per-owner version counter, which the server turns into
/// the opaque 'ver' attribute of roster versioning (RFC 6121 §2.6). A new owner is at version 0.
/// </summary>
public interface IRosterStore
{
    /// <summary>Every stored item of the owner, hidden ones (InRoster = false) included.</summary>
    Task<IReadOnlyList<RosterItem>> GetAllAsync(string ownerBareJid, CancellationToken ct = default);

    Task<RosterItem?> GetAsync(string ownerBareJid, string contactBareJid, CancellationToken ct = default);

    /// <summary>Inserts or replaces the item keyed by its ContactJid; returns the new version.</summary>
    Task<long> SetAsync(string ownerBareJid, RosterItem item, CancellationToken ct = default);

    /// <summary>Removes the item; returns the new version, or the current one if nothing was removed.</summary>
    Task<long> RemoveAsync(string ownerBareJid, string contactBareJid, CancellationToken ct = default);

    Task<long> GetVersionAsync(string ownerBareJid, CancellationToken ct = default);

    /// <summary>Number of stored items, hidden ones included (they use storage too, so they count against a quota).</summary>
    Task<int> CountAsync(string ownerBareJid, CancellationToken ct = default);
}
