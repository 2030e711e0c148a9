using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Xml;
using XmppConf.Muc.Rooms;
using XmppConf.Muc.Service;

namespace XmppConf.Muc.Features;

/// <summary>
/// Carries out role and affiliation changes already judged allowed (<see cref="Privileges"/>):
/// changes the room's state and tells the occupants, the way XEP-0045 §8 and §9 describe —
/// a kick is an unavailable presence with 307, a ban one with 301, a member removed from a
/// members-only room one with 321; any other change is an updated presence to everyone.
/// Shared by the muc#admin, voice-request, registration, invitation and configuration paths.
/// </summary>
internal static class OccupantChanges
{
    private static readonly XNamespace Client = Ns.Client;
    private static readonly XNamespace MucUser = Ns.MucUser;

    /// <summary>XEP-0045 §9.1: removed because banned.</summary>
    public const int Banned = 301;

    /// <summary>XEP-0045 §8.2: kicked.</summary>
    public const int Kicked = 307;

    /// <summary>XEP-0045 §9.4: removed because of an affiliation change (members-only room).</summary>
    public const int AffiliationLost = 321;

    /// <summary>XEP-0045 §10.2: removed because the room became members-only.</summary>
    public const int MembersOnly = 322;

    /// <summary>Gives an occupant a new role; <see cref="Role.None"/> kicks it (§8.2).</summary>
    public static void SetRole(RoomContext room, Occupant occupant, Role role, string? actorNick, string? reason)
    {
        if (role == Role.None)
        {
            Remove(room, occupant, Kicked, actorNick, reason);
            return;
        }
        var before = occupant.Role;
        if (before == role) return;
        occupant.Role = role;
        Announce(room, occupant, before, reason);
    }

    /// <summary>
    /// Sends an occupant away: its own unavailable presence first (with 110), then the others'
    /// (§8.2: "after removing the kicked occupant(s) … inform all of the remaining occupants"),
    /// each with <paramref name="code"/>, the actor's nick and the reason.
    /// </summary>
    public static void Remove(RoomContext room, Occupant occupant, int code, string? actorNick, string? reason)
    {
        room.Evict(occupant, new PresenceEvent { IsUnavailable = true, Codes = [code], ActorNick = actorNick, Reason = reason });
    }

    /// <summary>
    /// Records <paramref name="affiliation"/> for <paramref name="bareJid"/> and applies it to the
    /// user's occupants. <paramref name="nick"/> sets the reserved nick (§9.5: "" clears it, null
    /// keeps it); a ban drops it (§9.1: the outcast's nick is no longer reserved).
    /// </summary>
    public static void SetAffiliation(RoomContext room, Jid bareJid, Affiliation affiliation, string? nick, string? reason, string? actorNick)
    {
        var affiliations = room.State.Affiliations;
        var existing = affiliations.GetValueOrDefault(bareJid);
        if (affiliation == Affiliation.None)
        {
            // §5.2: "a service does not maintain a 'none list'".
            affiliations.Remove(bareJid);
        }
        else
        {
            var reserved = affiliation == Affiliation.Outcast ? null
                : nick is null ? existing?.Nick
                : nick.Length == 0 ? null : nick;
            affiliations[bareJid] = new AffiliationEntry(affiliation, reason, reserved);
        }
        room.MarkDirty();

        if ((existing?.Affiliation ?? Affiliation.None) == affiliation) return; // Only the reason or nick changed.
        if (!ApplyToOccupants(room, bareJid, affiliation, actorNick, reason))
        {
            NotifyAbsent(room, bareJid, affiliation);
        }
    }

    /// <summary>
    /// Gives every occupant of <paramref name="bareJid"/> the new affiliation: an outcast is
    /// removed (301), a non-member of a members-only room too (321, §9.4: only the removal is
    /// sent, not a presence showing the lost membership first); anyone else gets the role the
    /// affiliation implies and an updated presence to all. False when the user is not in the room.
    /// </summary>
    public static bool ApplyToOccupants(RoomContext room, Jid bareJid, Affiliation affiliation, string? actorNick, string? reason)
    {
        List<Occupant>? affected = null;
        foreach (var occupant in room.State.Occupants)
        {
            if (occupant.BareJid == bareJid) (affected ??= []).Add(occupant);
        }
        if (affected is null) return false;

        var removal = affiliation == Affiliation.Outcast ? Banned
            : affiliation < Affiliation.Member && room.Config.MembersOnly && !room.Host.IsServerAdmin(bareJid) ? AffiliationLost
            : 0;
        foreach (var occupant in affected)
        {
            var before = occupant.Affiliation;
            occupant.Affiliation = affiliation;
            if (removal != 0)
            {
                Remove(room, occupant, removal, actorNick, reason);
                continue;
            }
            var previousRole = occupant.Role;
            occupant.Role = RoleAfter(room, previousRole, before, affiliation);
            Announce(room, occupant, previousRole, reason);
        }
        return true;
    }

    /// <summary>
    /// §5.1.3 note: the role gained with an affiliation is fixed (admins and owners moderate, a
    /// member in a moderated room has voice); the role lost with one is the implementation's
    /// choice. Here an occupant keeps a better role it holds, except that moderator status
    /// which came with admin or owner status goes with it.
    /// </summary>
    private static Role RoleAfter(RoomContext room, Role current, Affiliation before, Affiliation after)
    {
        var implied = room.Features.DefaultRole(room, after);
        if (before >= Affiliation.Admin && after < Affiliation.Admin) return implied;
        return implied > current ? implied : current;
    }

    /// <summary>The occupant's updated presence to everyone (§8.3, §9.3…), with the reason if one was given.</summary>
    private static void Announce(RoomContext room, Occupant occupant, Role previousRole, string? reason)
    {
        room.QueueOccupancyUpdate(occupant);
        room.Presence.Broadcast(occupant, reason is null ? PresenceEvent.Available : new PresenceEvent { Reason = reason });
        if (occupant.Role == Role.Moderator && previousRole != Role.Moderator && room.Config.Whois != WhoisPolicy.Anyone)
        {
            // A new moderator of a semi-anonymous room may now see real JIDs (§5.1.1): send it the
            // occupants again, this time with them.
            foreach (var session in occupant.Sessions)
            {
                room.Presence.SendOccupantList(occupant, session.RealJid);
            }
        }
    }

    /// <summary>
    /// §10.3, §10.6 (MAY): an affiliation change of a user who is not in the room is told to
    /// the occupants in a message from the room. The item names the user's real JID, so only
    /// occupants allowed to see real JIDs get it.
    /// </summary>
    private static void NotifyAbsent(RoomContext room, Jid bareJid, Affiliation affiliation)
    {
        BroadcastStanza? notice = null;
        foreach (var occupant in room.State.Occupants)
        {
            if (!room.CanSeeRealJids(occupant)) continue;
            notice ??= new BroadcastStanza(new XElement(Client + "message",
                new XAttribute("from", room.RoomJid.ToString()),
                new XAttribute("id", Guid.NewGuid().ToString("N")),
                new XElement(MucUser + "x",
                    new XElement(MucUser + "item",
                        new XAttribute("affiliation", affiliation.ToXmlName()),
                        new XAttribute("jid", bareJid.ToString()),
                        new XAttribute("role", "none")))));
            foreach (var session in occupant.Sessions)
            {
                room.Output.Send(notice, session.RealJid);
            }
        }
    }
}
