using System.Collections.Concurrent;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Storage.InMemory;

/// <summary>
/// Rooms in memory. A stored room is an immutable record holding its own copy of the
/// affiliation list, so replacing the dictionary value is the whole atomic save and readers
/// never see half a room.
/// </summary>
public sealed class InMemoryRoomStore : IRoomStore
{
    private static readonly Task<StoredRoom?> NoRoom = Task.FromResult<StoredRoom?>(null);

    private readonly ConcurrentDictionary<string, StoredRoom> _rooms = new(StringComparer.Ordinal);

    public Task SaveAsync(StoredRoom room, CancellationToken ct = default)
    {
        MucGuard.Room(room);
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled(ct);
        }
        // Own copy of the affiliations: the caller's list may be mutable.
        _rooms[room.RoomJid] = room with { Affiliations = room.Affiliations.ToArray() };
        return Task.CompletedTask;
    }

    public Task<StoredRoom?> LoadAsync(string roomJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(roomJid, nameof(roomJid));
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<StoredRoom?>(ct);
        }
        return _rooms.TryGetValue(roomJid, out var room) ? Task.FromResult<StoredRoom?>(room) : NoRoom;
    }

    public Task<bool> DeleteAsync(string roomJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(roomJid, nameof(roomJid));
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(ct);
        }
        return CompletedTasks.Of(_rooms.TryRemove(roomJid, out _));
    }

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken ct = default)
    {
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<IReadOnlyList<string>>(ct);
        }
        var jids = _rooms.Keys.ToArray();
        Array.Sort(jids, StringComparer.Ordinal);
        return Task.FromResult<IReadOnlyList<string>>(jids);
    }
}
