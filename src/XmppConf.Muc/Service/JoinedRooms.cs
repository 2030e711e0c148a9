using XmppConf.Core.Addressing;

namespace XmppConf.Muc.Service;

/// <summary>
/// Which rooms of this node each user (bare JID) is in, for Muc:MaxRoomsJoinedPerUser. Rooms
/// report entries and removals from their actors (<see cref="Rooms.RoomState"/> is the one place
/// an occupant is added or removed, so leave, kick, ban, destroy, session end and presence
/// errors all pass through it). Shared by every room's actor, hence the lock; the sections are
/// a dictionary and a set operation long.
/// </summary>
internal sealed class JoinedRooms
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Jid, HashSet<Jid>> _byUser = [];

    /// <summary>
    /// Records that <paramref name="user"/> enters <paramref name="room"/>; false (nothing
    /// recorded) when that would make more than <paramref name="max"/> rooms (0 = no limit).
    /// A room the user is already in always passes (another session, another nick).
    /// </summary>
    public bool TryAdd(Jid user, Jid room, int max)
    {
        lock (_gate)
        {
            if (!_byUser.TryGetValue(user, out var rooms))
            {
                _byUser[user] = [room];
                return true;
            }
            if (rooms.Contains(room)) return true;
            if (max > 0 && rooms.Count >= max) return false;
            rooms.Add(room);
            return true;
        }
    }

    /// <summary>Records that <paramref name="user"/> is no longer in <paramref name="room"/>.</summary>
    public void Remove(Jid user, Jid room)
    {
        lock (_gate)
        {
            if (_byUser.TryGetValue(user, out var rooms) && rooms.Remove(room) && rooms.Count == 0)
            {
                _byUser.Remove(user);
            }
        }
    }

    /// <summary>How many rooms of this node <paramref name="user"/> is in.</summary>
    public int CountOf(Jid user)
    {
        lock (_gate)
        {
            return _byUser.TryGetValue(user, out var rooms) ? rooms.Count : 0;
        }
    }
}
