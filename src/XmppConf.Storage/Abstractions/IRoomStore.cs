namespace XmppConf.Storage.Abstractions;

/// <summary>Durable XEP-0045 rooms, keyed by bare room JID (normalised by the caller).</summary>
public interface IRoomStore
{
    /// <summary>Inserts or replaces the whole room in one atomic step; its affiliation list replaces the stored one.</summary>
    Task SaveAsync(StoredRoom room, CancellationToken ct = default);

    Task<StoredRoom?> LoadAsync(string roomJid, CancellationToken ct = default);

    /// <summary>Removes the room and its affiliations; false if there was none.</summary>
    Task<bool> DeleteAsync(string roomJid, CancellationToken ct = default);

    /// <summary>Every stored room JID, sorted ordinally.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken ct = default);
}
