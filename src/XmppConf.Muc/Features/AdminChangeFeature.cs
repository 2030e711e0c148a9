using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// muc#admin changes (XEP-0045 §8.2 kick, §8.3–§8.5 voice, §9.1–§9.7 ban, membership and
/// moderator status, §10.3–§10.8 owner and admin lists): an iq set whose items each change one
/// occupant's role (by nick) or one user's affiliation (by JID). A request is all or nothing
/// (§9.2: "the service SHOULD NOT apply any of the requested changes"): every item is checked
/// against the room's current state first, then all are applied in document order.
/// </summary>
internal sealed class AdminChangeFeature : IRoomFeature
{
    private static readonly XNamespace MucAdmin = Ns.MucAdmin;

    public int Order => 951;

    /// <summary>One checked change, ready to apply.</summary>
    private abstract record Change(string? Reason);

    private sealed record RoleChange(Occupant Target, Role Role, string? Reason) : Change(Reason);

    private sealed record AffiliationChange(Jid Target, Affiliation Affiliation, string? Nick, string? Reason) : Change(Reason);

    public IqReply? HandleRoomIq(RoomContext room, Occupant? sender, XElement iq, Jid from)
    {
        if (iq.Attribute("type")?.Value != "set" || iq.Element(MucAdmin + "query") is not { } query) return null;

        var actor = Actor.Of(room, from);
        // §8, §9: only moderators (and admins, who are moderators by affiliation) may ask at all;
        // they learn nothing about the room's occupants from a refused request.
        if (!actor.IsModerator)
        {
            return IqReply.Failed(StanzaError.Forbidden("Only moderators, admins and owners may change roles or affiliations."));
        }

        var changes = new List<Change>();
        foreach (var element in query.Elements(MucAdmin + "item"))
        {
            if (!AdminItem.TryParse(element, out var item, out var parseError)) return IqReply.Failed(parseError!);
            var (change, error) = item switch
            {
                { Role: { } role, Affiliation: null } => CheckRole(room, actor, item, role),
                { Affiliation: { } affiliation, Role: null } => CheckAffiliation(room, actor, item, affiliation),
                // §8.5, §9.5: a role item MUST NOT carry an affiliation and vice versa.
                _ => (null, StanzaError.BadRequest("Each item changes either a role or an affiliation.")),
            };
            if (error is not null) return IqReply.Failed(error);
            changes.Add(change!);
        }
        if (changes.Count == 0) return IqReply.Failed(StanzaError.BadRequest("No item to change."));
        if (LeavesNoOwner(room, changes))
        {
            // §10.5, §10.8: the last owner cannot give up ownership.
            return IqReply.Failed(StanzaError.Conflict("The room must keep at least one owner."));
        }

        foreach (var change in changes)
        {
            switch (change)
            {
                case RoleChange role:
                    // An earlier item of the same request may have removed the occupant already.
                    if (room.State.FindByNick(role.Target.Nick) == role.Target)
                    {
                        OccupantChanges.SetRole(room, role.Target, role.Role, actor.Nick, role.Reason);
                    }
                    break;
                case AffiliationChange affiliation:
                    var before = room.State.AffiliationOf(affiliation.Target);
                    OccupantChanges.SetAffiliation(room, affiliation.Target, affiliation.Affiliation, affiliation.Nick, affiliation.Reason, actor.Nick);
                    // §9.5: a user newly put on the member list of a members-only room SHOULD get an invitation.
                    if (room.Config.MembersOnly && before == Affiliation.None && affiliation.Affiliation >= Affiliation.Member
                        && room.State.FindByBareJid(affiliation.Target) is null)
                    {
                        InvitesFeature.SendInvitation(room, affiliation.Target, actor.BareJid, affiliation.Reason, null);
                    }
                    break;
            }
        }
        return IqReply.Empty;
    }

    private static (Change?, StanzaError?) CheckRole(RoomContext room, Actor actor, AdminItem item, Role role)
    {
        // §8.2: roles are changed by nick; a JID names the occupant too (as some clients send).
        var target = item.Nick is { } nick ? room.State.FindByNick(nick)
            : item.Jid is { } jid ? OccupantByJid(room, jid)
            : null;
        if (item.Nick is null && item.Jid is null)
        {
            return (null, StanzaError.BadRequest("A role item needs the occupant's nick."));
        }
        if (target is null)
        {
            return (null, StanzaError.ItemNotFound("No occupant has that nickname."));
        }
        return Privileges.CheckRoleChange(actor, target, role) is { } denied
            ? (null, denied)
            : (new RoleChange(target, role, item.Reason), null);
    }

    private static (Change?, StanzaError?) CheckAffiliation(RoomContext room, Actor actor, AdminItem item, Affiliation affiliation)
    {
        // §9.1: affiliations belong to bare JIDs; §10.3: "a service SHOULD use the bare JID representation".
        Jid target;
        string? reservedNick = null;
        if (item.Jid is { } jid && jid.Bare == room.RoomJid)
        {
            // An occupant JID of this room names that occupant's user, never the room itself.
            if (OccupantByJid(room, jid) is not { } named)
            {
                return (null, StanzaError.ItemNotFound("No occupant has that nickname."));
            }
            target = named.BareJid;
        }
        else if (item.Jid is { } userJid)
        {
            target = userJid.Bare;
            reservedNick = item.Nick;
        }
        else if (item.Nick is { } nick)
        {
            // A nick names the user of an occupant (banning someone from the occupant list).
            if (room.State.FindByNick(nick) is not { } occupant)
            {
                return (null, StanzaError.ItemNotFound("No occupant has that nickname."));
            }
            target = occupant.BareJid;
        }
        else
        {
            return (null, StanzaError.BadRequest("An affiliation item needs a jid."));
        }

        if (Privileges.CheckAffiliationChange(actor, target, room.State.AffiliationOf(target), affiliation) is { } denied)
        {
            return (null, denied);
        }
        if (reservedNick is { Length: > 0 } && affiliation != Affiliation.Outcast)
        {
            // §9.3: "if a nick is provided, that nick becomes the user's default nick in the room".
            if (!NickFeature.TryPrepare(room, reservedNick, out var prepared))
            {
                return (null, StanzaError.NotAcceptable("That nickname is not valid."));
            }
            if (NickFeature.Check(room, target, prepared) is { } taken) return (null, taken);
            reservedNick = prepared;
        }
        return (new AffiliationChange(target, affiliation, reservedNick, item.Reason), null);
    }

    /// <summary>The occupant a JID names: an occupant JID of this room, a user's session, or a user (bare JID).</summary>
    private static Occupant? OccupantByJid(RoomContext room, Jid jid) =>
        jid.Bare == room.RoomJid ? (jid.Resource is { } nick ? room.State.FindByNick(nick) : null)
        : jid.IsBare ? room.State.FindByBareJid(jid)
        : room.State.FindBySession(jid);

    /// <summary>True when the room has owners now and would have none after <paramref name="changes"/>.</summary>
    private static bool LeavesNoOwner(RoomContext room, List<Change> changes)
    {
        var owners = new HashSet<Jid>();
        foreach (var (jid, entry) in room.State.Affiliations)
        {
            if (entry.Affiliation == Affiliation.Owner) owners.Add(jid);
        }
        if (owners.Count == 0) return false;
        foreach (var change in changes)
        {
            if (change is not AffiliationChange a) continue;
            if (a.Affiliation == Affiliation.Owner) owners.Add(a.Target);
            else owners.Remove(a.Target);
        }
        return owners.Count == 0;
    }
}
