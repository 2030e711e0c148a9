using XmppConf.Core.Addressing;
using XmppConf.Muc.Service;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Muc.Rooms;

/// <summary>
/// What a room needs from the service hosting it (implemented by <see cref="RoomRegistry"/>):
/// settings, the output port, storage and the hand-back when the room ends.
/// </summary>
internal interface IRoomHost
{
    MucOptions Options { get; }

    IStanzaSink Sink { get; }

    TimeProvider Time { get; }

    IOccupancyTable Occupancy { get; }

    /// <summary>This node's id, recorded with each occupant in the occupancy table.</summary>
    string NodeId { get; }

    /// <summary>The service address (conference.example.org).</summary>
    Jid ServiceJid { get; }

    bool IsServerAdmin(Jid bareJid);

    /// <summary>
    /// Counts <paramref name="user"/> (bare JID) into <paramref name="room"/>; false when the user
    /// is already in Muc:MaxRoomsJoinedPerUser rooms (server admins are never refused).
    /// </summary>
    bool TryEnterRoom(Jid user, Jid room);

    /// <summary><paramref name="user"/> has no occupant left in <paramref name="room"/>.</summary>
    void LeftRoom(Jid user, Jid room);

    /// <summary>Saves a persistent room (configuration, affiliations, subject).</summary>
    Task SaveAsync(RoomState state, CancellationToken ct);

    /// <summary>Removes a room from storage (it became temporary, or was destroyed).</summary>
    Task DeleteStoredAsync(Jid roomJid, CancellationToken ct);

    /// <summary>Records what the service's disco#items shows of the room; null removes it (locked or gone).</summary>
    void UpdateListing(Jid roomJid, Service.RoomListing? listing);

    /// <summary>
    /// The actor stopped and will take no more stanzas; <paramref name="leftovers"/> are stanzas
    /// that reached its mailbox after it decided to stop, to be routed afresh.
    /// </summary>
    ValueTask RoomStoppedAsync(RoomActor actor, IReadOnlyList<RoomMessage> leftovers);
}
