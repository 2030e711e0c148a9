namespace XmppConf.Storage.Abstractions;

/// <summary>
/// Live room occupancy, mirrored by each room actor, which stays the authority for its room;
/// the table exists so other components (session clean-up, disco counts, other nodes) can see
/// who is where. Keyed by (room JID, real full JID), both normalised by the caller.
/// </summary>
public interface IOccupancyTable
{
    /// <summary>Inserts or replaces the entry keyed by (RoomJid, RealJid).</summary>
    Task SetAsync(OccupantEntry entry, CancellationToken ct = default);

    Task<bool> RemoveAsync(string roomJid, string realJid, CancellationToken ct = default);

    /// <summary>The room's occupants, in no guaranteed order. Treat the list as read-only.</summary>
    Task<IReadOnlyList<OccupantEntry>> GetRoomAsync(string roomJid, CancellationToken ct = default);

    /// <summary>Every room a session (full JID) is in, in no guaranteed order.</summary>
    Task<IReadOnlyList<OccupantEntry>> GetByUserAsync(string realFullJid, CancellationToken ct = default);

    Task<int> CountAsync(string roomJid, CancellationToken ct = default);

    /// <summary>Removes every occupant of the room (room destroyed); returns how many.</summary>
    Task<int> RemoveRoomAsync(string roomJid, CancellationToken ct = default);

    /// <summary>Removes every entry of a node (clean-up after that node crashed); returns how many.</summary>
    Task<int> RemoveNodeAsync(string nodeId, CancellationToken ct = default);
}
