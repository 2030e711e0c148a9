namespace XmppConf.Storage.Abstractions;

/// <summary>
/// The live table of bound sessions: who is online where. Keys are full JIDs already
/// normalised by the caller; the bare JID of an entry is the part before the first '/'
/// (RFC 7622 §3.1: neither localpart nor domainpart may contain '/').
/// </summary>
public interface IPresenceTable
{
    /// <summary>Adds the entry; false if the full JID is already bound (resource conflict, RFC 6120 §7.7.2.2).</summary>
    Task<bool> TryAddAsync(SessionEntry entry, CancellationToken ct = default);

    /// <summary>Replaces the entry with the same full JID; does nothing if it is gone (the session ended meanwhile).</summary>
    Task UpdateAsync(SessionEntry entry, CancellationToken ct = default);

    Task<bool> RemoveAsync(string fullJid, CancellationToken ct = default);

    /// <summary>All entries whose bare JID is <paramref name="bareJid"/>, in no guaranteed order. Treat the list as read-only.</summary>
    Task<IReadOnlyList<SessionEntry>> GetSessionsAsync(string bareJid, CancellationToken ct = default);

    Task<SessionEntry?> GetAsync(string fullJid, CancellationToken ct = default);

    /// <summary>Removes every entry of a node (clean-up after that node crashed); returns how many.</summary>
    Task<int> RemoveNodeAsync(string nodeId, CancellationToken ct = default);
}
