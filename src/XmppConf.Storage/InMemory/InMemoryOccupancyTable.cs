using System.Collections.Concurrent;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Storage.InMemory;

/// <summary>
/// The embedded occupancy table, built like <see cref="InMemoryPresenceTable"/>: two indexes of
/// copy-on-write buckets, room JID → its occupants and real full JID → the rooms it is in.
/// Writers replace a bucket's array under the bucket's lock; readers take the current array
/// without locking or copying.
/// <para>
/// Every change to key (room, real JID) is made under the live room bucket's lock, which then
/// takes the user bucket's lock (always in that order, so no deadlock). That serialises all
/// writes to one key across both indexes, so they never disagree once a write returns; a
/// reader of the user index may briefly miss an entry the room index already shows.
/// A bucket that becomes empty is marked dead and unlinked under its lock; a writer that finds
/// a dead bucket retries with a fresh one, so no entry is ever added to an unlinked bucket.
/// </para>
/// </summary>
public sealed class InMemoryOccupancyTable : IOccupancyTable
{
    private static readonly Task<IReadOnlyList<OccupantEntry>> NoEntries = Task.FromResult<IReadOnlyList<OccupantEntry>>([]);

    private readonly ConcurrentDictionary<string, Bucket> _rooms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Bucket> _users = new(StringComparer.Ordinal);

    public Task SetAsync(OccupantEntry entry, CancellationToken ct = default)
    {
        MucGuard.Occupant(entry);
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled(ct);
        }
        while (true)
        {
            var room = _rooms.GetOrAdd(entry.RoomJid, static jid => new Bucket(jid));
            lock (room)
            {
                if (room.Dead)
                {
                    continue;
                }
                Put(room, entry, IndexOfReal(room.Entries, entry.RealJid));
                PutUser(entry);
                return Task.CompletedTask;
            }
        }
    }

    public Task<bool> RemoveAsync(string roomJid, string realJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(roomJid, nameof(roomJid));
        StoreGuard.Jid(realJid, nameof(realJid));
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(ct);
        }
        while (_rooms.TryGetValue(roomJid, out var room))
        {
            lock (room)
            {
                if (room.Dead)
                {
                    continue;
                }
                var index = IndexOfReal(room.Entries, realJid);
                if (index < 0)
                {
                    return CompletedTasks.False;
                }
                RemoveAt(_rooms, room, index);
                RemoveUser(realJid, roomJid);
                return CompletedTasks.True;
            }
        }
        return CompletedTasks.False;
    }

    public Task<IReadOnlyList<OccupantEntry>> GetRoomAsync(string roomJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(roomJid, nameof(roomJid));
        return Snapshot(_rooms, roomJid, ct);
    }

    public Task<IReadOnlyList<OccupantEntry>> GetByUserAsync(string realFullJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(realFullJid, nameof(realFullJid));
        return Snapshot(_users, realFullJid, ct);
    }

    public Task<int> CountAsync(string roomJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(roomJid, nameof(roomJid));
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<int>(ct);
        }
        return _rooms.TryGetValue(roomJid, out var room)
            ? Task.FromResult(Volatile.Read(ref room.Entries).Length)
            : CompletedTasks.Zero;
    }

    public Task<int> RemoveRoomAsync(string roomJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(roomJid, nameof(roomJid));
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<int>(ct);
        }
        while (_rooms.TryGetValue(roomJid, out var room))
        {
            lock (room)
            {
                if (room.Dead)
                {
                    continue;
                }
                var entries = room.Entries;
                Kill(_rooms, room);
                foreach (var entry in entries)
                {
                    RemoveUser(entry.RealJid, roomJid);
                }
                return Task.FromResult(entries.Length);
            }
        }
        return CompletedTasks.Zero;
    }

    /// <summary>Walks every room: a node crash is rare, so no per-node index is kept on the hot path.</summary>
    public Task<int> RemoveNodeAsync(string nodeId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<int>(ct);
        }
        var removed = 0;
        foreach (var pair in _rooms)
        {
            var room = pair.Value;
            lock (room)
            {
                if (room.Dead)
                {
                    continue;
                }
                var entries = room.Entries;
                var kept = 0;
                foreach (var entry in entries)
                {
                    if (string.Equals(entry.NodeId, nodeId, StringComparison.Ordinal))
                    {
                        RemoveUser(entry.RealJid, room.Key);
                    }
                    else
                    {
                        kept++;
                    }
                }
                if (kept == entries.Length)
                {
                    continue;
                }
                removed += entries.Length - kept;
                if (kept == 0)
                {
                    Kill(_rooms, room);
                    continue;
                }
                // One new array for the whole room rather than one per removed occupant.
                var survivors = new OccupantEntry[kept];
                var next = 0;
                foreach (var entry in entries)
                {
                    if (!string.Equals(entry.NodeId, nodeId, StringComparison.Ordinal))
                    {
                        survivors[next++] = entry;
                    }
                }
                Volatile.Write(ref room.Entries, survivors);
            }
        }
        return Task.FromResult(removed);
    }

    private static Task<IReadOnlyList<OccupantEntry>> Snapshot(ConcurrentDictionary<string, Bucket> index, string key, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<IReadOnlyList<OccupantEntry>>(ct);
        }
        if (!index.TryGetValue(key, out var bucket))
        {
            return NoEntries;
        }
        // A published array is never written again, so handing it out is safe.
        var entries = Volatile.Read(ref bucket.Entries);
        return entries.Length == 0 ? NoEntries : Task.FromResult<IReadOnlyList<OccupantEntry>>(entries);
    }

    /// <summary>Caller holds the lock of the entry's live room bucket.</summary>
    private void PutUser(OccupantEntry entry)
    {
        while (true)
        {
            var user = _users.GetOrAdd(entry.RealJid, static jid => new Bucket(jid));
            lock (user)
            {
                if (user.Dead)
                {
                    continue;
                }
                Put(user, entry, IndexOfRoom(user.Entries, entry.RoomJid));
                return;
            }
        }
    }

    /// <summary>Caller holds the lock of the room's live room bucket.</summary>
    private void RemoveUser(string realJid, string roomJid)
    {
        while (_users.TryGetValue(realJid, out var user))
        {
            lock (user)
            {
                if (user.Dead)
                {
                    continue;
                }
                var index = IndexOfRoom(user.Entries, roomJid);
                if (index >= 0)
                {
                    RemoveAt(_users, user, index);
                }
                return;
            }
        }
    }

    /// <summary>Caller holds the bucket's lock. Replaces the entry at <paramref name="index"/>, or appends when it is negative.</summary>
    private static void Put(Bucket bucket, OccupantEntry entry, int index)
    {
        var entries = bucket.Entries;
        OccupantEntry[] next;
        if (index >= 0)
        {
            next = (OccupantEntry[])entries.Clone();
            next[index] = entry;
        }
        else
        {
            next = new OccupantEntry[entries.Length + 1];
            entries.CopyTo(next, 0);
            next[^1] = entry;
        }
        Volatile.Write(ref bucket.Entries, next);
    }

    /// <summary>Caller holds the bucket's lock.</summary>
    private static void RemoveAt(ConcurrentDictionary<string, Bucket> index, Bucket bucket, int at)
    {
        var entries = bucket.Entries;
        if (entries.Length == 1)
        {
            Kill(index, bucket);
            return;
        }
        var shrunk = new OccupantEntry[entries.Length - 1];
        Array.Copy(entries, 0, shrunk, 0, at);
        Array.Copy(entries, at + 1, shrunk, at, shrunk.Length - at);
        Volatile.Write(ref bucket.Entries, shrunk);
    }

    /// <summary>
    /// Caller holds the bucket's lock. Unlinks while still holding it: the key maps to this
    /// bucket until now, and writers that already hold a reference see Dead and retry.
    /// </summary>
    private static void Kill(ConcurrentDictionary<string, Bucket> index, Bucket bucket)
    {
        bucket.Dead = true;
        Volatile.Write(ref bucket.Entries, []);
        index.TryRemove(new KeyValuePair<string, Bucket>(bucket.Key, bucket));
    }

    private static int IndexOfReal(OccupantEntry[] entries, string realJid)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            if (string.Equals(entries[i].RealJid, realJid, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    private static int IndexOfRoom(OccupantEntry[] entries, string roomJid)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            if (string.Equals(entries[i].RoomJid, roomJid, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    private sealed class Bucket(string key)
    {
        public readonly string Key = key;
        public OccupantEntry[] Entries = [];
        public bool Dead;
    }
}
