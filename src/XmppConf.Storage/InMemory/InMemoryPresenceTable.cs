using System.Collections.Concurrent;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Storage.InMemory;

/// <summary>
/// The embedded session table: bare JID → a bucket holding that account's few sessions.
/// A bucket's array is copy-on-write: writers replace it under the bucket's lock, readers take
/// the current array without locking or copying, which keeps routing to a bare JID (the common
/// read) free of locks and allocations beyond the returned task. Lookups by full JID use the
/// span of its bare part, so they allocate no substring.
/// A bucket that becomes empty is marked dead and unlinked under its lock; a writer that finds
/// a dead bucket retries with a fresh one, so no entry can be added to an unlinked bucket.
/// </summary>
public sealed class InMemoryPresenceTable : IPresenceTable
{
    private static readonly Task<IReadOnlyList<SessionEntry>> NoSessions = Task.FromResult<IReadOnlyList<SessionEntry>>([]);
    private static readonly Task<SessionEntry?> NoEntry = Task.FromResult<SessionEntry?>(null);

    private readonly ConcurrentDictionary<string, Bucket> _byBare = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Bucket>.AlternateLookup<ReadOnlySpan<char>> _byBareSpan;

    public InMemoryPresenceTable()
    {
        _byBareSpan = _byBare.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public Task<bool> TryAddAsync(SessionEntry entry, CancellationToken ct = default)
    {
        StoreGuard.Session(entry);
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(ct);
        }
        var bare = StoreGuard.BareOf(entry.FullJid);
        while (true)
        {
            var bucket = _byBare.GetOrAdd(bare, static _ => new Bucket());
            lock (bucket)
            {
                if (bucket.Dead)
                {
                    continue;
                }
                var entries = bucket.Entries;
                if (IndexOf(entries, entry.FullJid) >= 0)
                {
                    return CompletedTasks.False;
                }
                var grown = new SessionEntry[entries.Length + 1];
                entries.CopyTo(grown, 0);
                grown[^1] = entry;
                Volatile.Write(ref bucket.Entries, grown);
                return CompletedTasks.True;
            }
        }
    }

    public Task UpdateAsync(SessionEntry entry, CancellationToken ct = default)
    {
        StoreGuard.Session(entry);
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled(ct);
        }
        while (_byBareSpan.TryGetValue(BareSpan(entry.FullJid), out var bucket))
        {
            lock (bucket)
            {
                if (bucket.Dead)
                {
                    continue;
                }
                var entries = bucket.Entries;
                var index = IndexOf(entries, entry.FullJid);
                if (index >= 0)
                {
                    var replaced = (SessionEntry[])entries.Clone();
                    replaced[index] = entry;
                    Volatile.Write(ref bucket.Entries, replaced);
                }
                break;
            }
        }
        return Task.CompletedTask;
    }

    public Task<bool> RemoveAsync(string fullJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(fullJid, nameof(fullJid));
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(ct);
        }
        while (_byBareSpan.TryGetValue(BareSpan(fullJid), out var bucket))
        {
            lock (bucket)
            {
                if (bucket.Dead)
                {
                    continue;
                }
                var index = IndexOf(bucket.Entries, fullJid);
                if (index < 0)
                {
                    return CompletedTasks.False;
                }
                RemoveAt(bucket, index);
                return CompletedTasks.True;
            }
        }
        return CompletedTasks.False;
    }

    public Task<IReadOnlyList<SessionEntry>> GetSessionsAsync(string bareJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(bareJid, nameof(bareJid));
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<IReadOnlyList<SessionEntry>>(ct);
        }
        if (!_byBare.TryGetValue(bareJid, out var bucket))
        {
            return NoSessions;
        }
        // A published array is never written again, so handing it out is safe.
        var entries = Volatile.Read(ref bucket.Entries);
        return entries.Length == 0 ? NoSessions : Task.FromResult<IReadOnlyList<SessionEntry>>(entries);
    }

    public Task<SessionEntry?> GetAsync(string fullJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(fullJid, nameof(fullJid));
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<SessionEntry?>(ct);
        }
        if (!_byBareSpan.TryGetValue(BareSpan(fullJid), out var bucket))
        {
            return NoEntry;
        }
        var entries = Volatile.Read(ref bucket.Entries);
        var index = IndexOf(entries, fullJid);
        return index < 0 ? NoEntry : Task.FromResult<SessionEntry?>(entries[index]);
    }

    /// <summary>Walks every bucket: a node crash is rare, so no per-node index is kept on the hot path.</summary>
    public Task<int> RemoveNodeAsync(string nodeId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<int>(ct);
        }
        var removed = 0;
        foreach (var pair in _byBare)
        {
            var bucket = pair.Value;
            lock (bucket)
            {
                for (var i = bucket.Entries.Length - 1; i >= 0 && !bucket.Dead; i--)
                {
                    if (string.Equals(bucket.Entries[i].NodeId, nodeId, StringComparison.Ordinal))
                    {
                        RemoveAt(bucket, i);
                        removed++;
                    }
                }
            }
        }
        return Task.FromResult(removed);
    }

    /// <summary>Caller holds the bucket's lock.</summary>
    private void RemoveAt(Bucket bucket, int index)
    {
        var entries = bucket.Entries;
        if (entries.Length == 1)
        {
            // Unlink while still holding the lock: the key maps to this bucket until now,
            // and writers that already hold a reference see Dead and retry.
            bucket.Dead = true;
            Volatile.Write(ref bucket.Entries, []);
            _byBare.TryRemove(new KeyValuePair<string, Bucket>(StoreGuard.BareOf(entries[0].FullJid), bucket));
            return;
        }
        var shrunk = new SessionEntry[entries.Length - 1];
        Array.Copy(entries, 0, shrunk, 0, index);
        Array.Copy(entries, index + 1, shrunk, index, shrunk.Length - index);
        Volatile.Write(ref bucket.Entries, shrunk);
    }

    private static ReadOnlySpan<char> BareSpan(string fullJid)
    {
        var slash = fullJid.IndexOf('/');
        return slash < 0 ? fullJid : fullJid.AsSpan(0, slash);
    }

    private static int IndexOf(SessionEntry[] entries, string fullJid)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            if (string.Equals(entries[i].FullJid, fullJid, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    private sealed class Bucket
    {
        public SessionEntry[] Entries = [];
        public bool Dead;
    }
}
