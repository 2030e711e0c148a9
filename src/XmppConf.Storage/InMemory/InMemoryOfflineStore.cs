using System.Collections.Concurrent;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Storage.InMemory;

/// <summary>
/// Offline queues in memory, one list per user under its own lock. Ids come from one global
/// counter taken under the user's lock, so within a queue they grow in storing order.
/// Empty queues stay in the map (one small object per user who ever had mail): removing them
/// would race with a concurrent store into the removed queue and lose that message.
/// </summary>
public sealed class InMemoryOfflineStore : IOfflineStore
{
    private readonly ConcurrentDictionary<string, List<OfflineMessage>> _queues = new(StringComparer.Ordinal);
    private long _lastId;

    public Task<bool> TryStoreAsync(string toBareJid, string stanzaXml, DateTimeOffset storedAt, int maxPerUser, CancellationToken ct = default)
    {
        StoreGuard.Jid(toBareJid, nameof(toBareJid));
        ArgumentNullException.ThrowIfNull(stanzaXml);
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerUser);
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(ct);
        }
        var queue = _queues.GetOrAdd(toBareJid, static _ => []);
        lock (queue)
        {
            if (queue.Count >= maxPerUser)
            {
                return CompletedTasks.False;
            }
            queue.Add(new OfflineMessage(Interlocked.Increment(ref _lastId), toBareJid, stanzaXml, storedAt));
            return CompletedTasks.True;
        }
    }

    public Task<IReadOnlyList<OfflineMessage>> PeekAllAsync(string toBareJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(toBareJid, nameof(toBareJid));
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<IReadOnlyList<OfflineMessage>>(ct);
        }
        if (!_queues.TryGetValue(toBareJid, out var queue))
        {
            return Task.FromResult<IReadOnlyList<OfflineMessage>>([]);
        }
        lock (queue)
        {
            return Task.FromResult<IReadOnlyList<OfflineMessage>>(queue.ToArray());
        }
    }

    public Task RemoveAsync(string toBareJid, IReadOnlyList<long> ids, CancellationToken ct = default)
    {
        StoreGuard.Jid(toBareJid, nameof(toBareJid));
        ArgumentNullException.ThrowIfNull(ids);
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled(ct);
        }
        if (ids.Count == 0 || !_queues.TryGetValue(toBareJid, out var queue))
        {
            return Task.CompletedTask;
        }
        var doomed = new HashSet<long>(ids);
        lock (queue)
        {
            queue.RemoveAll(m => doomed.Contains(m.Id));
        }
        return Task.CompletedTask;
    }

    public Task<int> CountAsync(string toBareJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(toBareJid, nameof(toBareJid));
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<int>(ct);
        }
        if (!_queues.TryGetValue(toBareJid, out var queue))
        {
            return CompletedTasks.Zero;
        }
        lock (queue)
        {
            return Task.FromResult(queue.Count);
        }
    }

    /// <summary>Account deletion: drops the user's queue.</summary>
    internal void RemoveUser(string toBareJid) => _queues.TryRemove(toBareJid, out _);
}
