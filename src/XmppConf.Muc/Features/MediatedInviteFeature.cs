using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// Mediated invitations (XEP-0045 §7.8.2): an occupant sends &lt;x xmlns='…muc#user'&gt;&lt;invite
/// to='…'/&gt;&lt;/x&gt; to the room, which forwards it from the room JID to the invitee's bare JID
/// with the inviter in 'from' and the password of a password-protected room. Who may invite
/// follows muc#roomconfig_allowinvites (<see cref="InvitesFeature"/>) and, in a members-only
/// room, who may add members (§9.5): there an invitation makes the invitee a member. A decline
/// is routed back to the inviter from the room JID. Direct invitations (XEP-0249) go from client
/// to client and never reach the room, which advertises nothing about them.
/// </summary>
internal sealed class MediatedInviteFeature : IRoomFeature
{
    private static readonly XNamespace Client = Ns.Client;
    private static readonly XNamespace MucUser = Ns.MucUser;

    public int Order => 114;

    public bool TryHandleRoomMessage(RoomContext room, Occupant? sender, XElement message, Jid from)
    {
        // §7.8.2: "the message MUST be explicitly or implicitly of type normal".
        if (message.Attribute("type")?.Value is { } type && type != "normal") return false;
        if (message.Element(MucUser + "x") is not { } x) return false;
        if (x.Element(MucUser + "invite") is not null)
        {
            if (Invite(room, message, x, from) is { } error) room.Output.SendError(message, from, room.RoomJid, error);
            return true;
        }
        if (x.Element(MucUser + "decline") is { } decline)
        {
            if (Decline(room, message, decline, from) is { } error) room.Output.SendError(message, from, room.RoomJid, error);
            return true;
        }
        return false;
    }

    /// <summary>
    /// Sends the room's invitation to <paramref name="invitee"/> (§7.8.2 example 55, §9.5 example 101):
    /// from the room JID, naming <paramref name="inviter"/>, with the room's password if it has one.
    /// </summary>
    public static void SendInvitation(RoomContext room, Jid invitee, Jid inviter, string? reason, XElement? continuation, string? id = null)
    {
        var invite = new XElement(MucUser + "invite", new XAttribute("from", inviter.ToString()));
        if (reason is not null) invite.Add(new XElement(MucUser + "reason", reason));
        if (continuation is not null) invite.Add(new XElement(continuation));
        var x = new XElement(MucUser + "x", invite);
        if (room.Config.PasswordProtected)
        {
            x.Add(new XElement(MucUser + "password", room.Config.Password));
        }
        var message = new XElement(Client + "message",
            new XAttribute("from", room.RoomJid.ToString()),
            new XAttribute("id", id ?? Guid.NewGuid().ToString("N")),
            new XAttribute("to", invitee.ToString()),
            x);
        room.Output.Send(message, invitee);
    }

    private static StanzaError? Invite(RoomContext room, XElement message, XElement x, Jid from)
    {
        var actor = Actor.Of(room, from);
        // §7.8.2: one invites "to a room in which one is an occupant"; admins may invite from outside.
        if (actor.Occupant is null && actor.Affiliation < Affiliation.Admin)
        {
            return StanzaError.NotAcceptable("Only occupants may invite others to the room.");
        }
        if (MayInvite(room, actor) is { } denied) return denied;

        // All invitees are read before any invitation goes out: a bad one refuses them all.
        var invitees = new List<(Jid Jid, XElement Invite)>();
        foreach (var invite in x.Elements(MucUser + "invite"))
        {
            if (!Jid.TryParse(invite.Attribute("to")?.Value, out var to))
            {
                return StanzaError.BadRequest("An invitation needs a valid 'to' address.");
            }
            invitees.Add((to.Bare, invite));
        }

        var id = message.Attribute("id")?.Value;
        foreach (var (invitee, invite) in invitees)
        {
            // §9.5: in a members-only room an invitation from someone allowed to send it adds the
            // invitee to the member list ("Invitations sent through an open room MUST NOT").
            // A banned user stays banned: lifting a ban is an admin's explicit act.
            if (room.Config.MembersOnly && room.State.AffiliationOf(invitee) == Affiliation.None)
            {
                OccupantChanges.SetAffiliation(room, invitee, Affiliation.Member, null, null, actor.Nick);
            }
            SendInvitation(room, invitee, from, invite.Element(MucUser + "reason")?.Value, invite.Element(MucUser + "continue"), id);
        }
        return null;
    }

    /// <summary>
    /// §5.1.1 ("Invite Other Users": occupants by default, configurable), §9.5 (members-only rooms:
    /// those who may edit the member list; "if invitation privileges are restricted to admins and a
    /// mere member attempts to send an invitation, the service MUST … return a forbidden error").
    /// </summary>
    private static StanzaError? MayInvite(RoomContext room, Actor actor)
    {
        var allowed = room.Config.MembersOnly
            ? actor.Affiliation >= Affiliation.Admin || (room.Config.AllowInvites && actor.Affiliation >= Affiliation.Member)
            : room.Config.AllowInvites || actor.IsModerator;
        return allowed ? null : StanzaError.Forbidden("You are not allowed to invite others to this room.");
    }

    /// <summary>§7.8.2: the invitee declines through the room, which tells the inviter (example 58).</summary>
    private static StanzaError? Decline(RoomContext room, XElement message, XElement decline, Jid from)
    {
        if (!Jid.TryParse(decline.Attribute("to")?.Value, out var inviter))
        {
            return StanzaError.BadRequest("A decline needs a valid 'to' address.");
        }
        var reason = decline.Element(MucUser + "reason")?.Value;
        var forward = new XElement(MucUser + "decline", new XAttribute("from", from.Bare.ToString()));
        if (reason is not null) forward.Add(new XElement(MucUser + "reason", reason));
        var template = new XElement(Client + "message",
            new XAttribute("from", room.RoomJid.ToString()),
            new XAttribute("id", message.Attribute("id")?.Value ?? Guid.NewGuid().ToString("N")),
            new XElement(MucUser + "x", forward));

        // Invitations may name the inviter by occupant JID (§7.8.2 note), so declines may too.
        if (inviter.Bare == room.RoomJid && inviter.Resource is { } nick)
        {
            if (room.State.FindByNick(nick) is not { } occupant)
            {
                return StanzaError.ItemNotFound("No occupant has that nickname.");
            }
            foreach (var session in occupant.Sessions)
            {
                Send(room, template, session.RealJid);
            }
            return null;
        }
        Send(room, template, inviter);
        return null;
    }

    private static void Send(RoomContext room, XElement template, Jid to)
    {
        var copy = new XElement(template);
        copy.SetAttributeValue("to", to.ToString());
        room.Output.Send(copy, to);
    }
}
