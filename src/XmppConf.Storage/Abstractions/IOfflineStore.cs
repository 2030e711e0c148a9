namespace XmppConf.Storage.Abstractions;

/// <summary>
/// Durable per-user queue of message stanzas received while the user had no available
/// resource (RFC 6121 §8.5.2.2.1, XEP-0160). Delivery is peek, send, then remove by id, so a
/// failed delivery loses nothing.
/// </summary>
public interface IOfflineStore
{
    /// <summary>Appends the stanza unless the user already has <paramref name="maxPerUser"/> messages queued; false when full.</summary>
    Task<bool> TryStoreAsync(string toBareJid, string stanzaXml, DateTimeOffset storedAt, int maxPerUser, CancellationToken ct = default);

    /// <summary>The user's queue, oldest first, without removing it.</summary>
    Task<IReadOnlyList<OfflineMessage>> PeekAllAsync(string toBareJid, CancellationToken ct = default);

    /// <summary>Removes the given ids from the user's queue (after delivery succeeded); ids of other users or unknown ids are ignored.</summary>
    Task RemoveAsync(string toBareJid, IReadOnlyList<long> ids, CancellationToken ct = default);

    Task<int> CountAsync(string toBareJid, CancellationToken ct = default);
}
