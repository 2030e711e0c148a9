namespace XmppConf.Storage.Abstractions;

/// <summary>Argument checks for the room store and occupancy table, shared by every adapter.</summary>
internal static class MucGuard
{
    public static void Room(StoredRoom room)
    {
        ArgumentNullException.ThrowIfNull(room);
        StoreGuard.Jid(room.RoomJid, nameof(room.RoomJid));
        ArgumentNullException.ThrowIfNull(room.ConfigJson, nameof(room.ConfigJson));
        ArgumentNullException.ThrowIfNull(room.Affiliations, nameof(room.Affiliations));
        // The affiliation list is a map from bare JID: one JID has one affiliation (XEP-0045 §5.2).
        var seen = new HashSet<string>(room.Affiliations.Count, StringComparer.Ordinal);
        for (var i = 0; i < room.Affiliations.Count; i++)
        {
            var affiliation = room.Affiliations[i] ?? throw new ArgumentException("An affiliation is null.", nameof(room));
            StoreGuard.Jid(affiliation.Jid, nameof(room.Affiliations));
            if (!IsStoredAffiliation(affiliation.Affiliation))
            {
                // "none" is the absence of an entry (XEP-0045 §5.2), so it is never stored.
                throw new ArgumentException(
                    $"Affiliation '{affiliation.Affiliation}' of {affiliation.Jid} is not owner, admin, member or outcast.", nameof(room));
            }
            if (!seen.Add(affiliation.Jid))
            {
                throw new ArgumentException($"Two affiliations for {affiliation.Jid}.", nameof(room));
            }
        }
    }

    public static void Occupant(OccupantEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        StoreGuard.Jid(entry.RoomJid, nameof(entry.RoomJid));
        StoreGuard.Jid(entry.RealJid, nameof(entry.RealJid));
        ArgumentException.ThrowIfNullOrEmpty(entry.Nick, nameof(entry.Nick));
        ArgumentNullException.ThrowIfNull(entry.NodeId, nameof(entry.NodeId));
        ArgumentNullException.ThrowIfNull(entry.Role, nameof(entry.Role));
        ArgumentNullException.ThrowIfNull(entry.Affiliation, nameof(entry.Affiliation));
    }

    private static bool IsStoredAffiliation(string? value) =>
        value is "owner" or "admin" or "member" or "outcast";
}
