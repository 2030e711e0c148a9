using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// Mediated invitations (XEP-0045 §7.8.2) and muc#roomconfig_allowinvites. An occupant invites
/// by sending the room &lt;x&gt;&lt;invite to='…'/&gt;&lt;/x&gt;; the room relays it from its
/// own JID to the invitee's bare JID, with the inviter's bare JID (not the session, which a
/// semi-anonymous room should not reveal), the reason, any &lt;continue/&gt; (§7.9) and the
/// password when the room knows it in clear. Without allowinvites only moderators, admins and
/// owners may invite (§5.1.1). In a members-only room only those who may add members may
/// invite — admins, or members when allowinvites is on — and the invitation makes the invitee
/// a member (§9.5). A decline is relayed only to a user who is in the room, so the room cannot
/// be used to message arbitrary addresses. Direct invitations (XEP-0249) go from client to client; the room has no part in
/// them and advertises nothing about them.
/// </summary>
internal sealed class InvitesFeature : IRoomFeature
{
    public const string Var = "muc#roomconfig_allowinvites";

    private static readonly XNamespace Client = Ns.Client;
    private static readonly XNamespace MucUser = Ns.MucUser;

    public int Order => 115;

    public void ContributeConfigForm(RoomContext room, DataForm form) =>
        form.Add(ConfigFields.Boolean(Var, "Allow Occupants to Invite Others?", room.Config.AllowInvites));

    public bool TryApplyConfigField(RoomContext room, FormField field, ConfigSubmission submission, out StanzaError? error)
    {
        error = null;
        if (field.Var != Var) return false;
        if (ConfigFields.TryReadBoolean(field, out var value, out error))
        {
            submission.Config = submission.Config with { AllowInvites = value };
        }
        return true;
    }

    public bool TryHandleRoomMessage(RoomContext room, Occupant? sender, XElement message, Jid from)
    {
        // §7.8.2: "the message MUST be explicitly or implicitly of type normal".
        if (message.Attribute("type")?.Value is { } type && type != "normal") return false;
        if (message.Element(MucUser + "x") is not { } x) return false;
        StanzaError? error;
        if (x.Element(MucUser + "invite") is not null)
        {
            error = Invite(room, message, x, from);
        }
        else if (x.Element(MucUser + "decline") is { } decline)
        {
            error = Decline(room, message, decline, from);
        }
        else
        {
            return false;
        }
        if (error is not null) room.Output.SendError(message, from, room.RoomJid, error);
        return true;
    }

    /// <summary>
    /// Sends the room's invitation to <paramref name="invitee"/> (§7.8.2 example 55, §9.5 example
    /// 101): from the room JID, naming <paramref name="inviter"/>, with the room's password if it
    /// has one, and a body for clients that do not understand the invitation.
    /// </summary>
    public static void SendInvitation(RoomContext room, Jid invitee, Jid inviter, string? reason, XElement? continuation, string? id = null)
    {
        var invite = new XElement(MucUser + "invite", new XAttribute("from", inviter.ToString()));
        if (reason is not null) invite.Add(new XElement(MucUser + "reason", reason));
        if (continuation is not null) invite.Add(new XElement(continuation));
        var x = new XElement(MucUser + "x", invite);
        // Only known in clear if an owner set it since this node activated the room (the store keeps a hash).
        if (room.Config.PasswordProtected && room.State.ClearPassword is { } password) x.Add(new XElement(MucUser + "password", password));
        var message = new XElement(Client + "message",
            new XAttribute("from", room.RoomJid.ToString()),
            new XAttribute("id", id ?? Guid.NewGuid().ToString("N")),
            new XAttribute("to", invitee.ToString()),
            x,
            new XElement(Client + "body", $"{inviter} invites you to the room {room.RoomJid}"));
        room.Output.Send(message, invitee);
    }

    private static StanzaError? Invite(RoomContext room, XElement message, XElement x, Jid from)
    {
        var actor = Actor.Of(room, from);
        // §7.8.2: one invites "to a room in which one is an occupant"; admins may invite from outside.
        if (actor.Occupant is null && actor.Affiliation < Affiliation.Admin)
        {
            return StanzaError.NotAcceptable("Only occupants may invite others.");
        }
        if (MayInvite(room, actor) is { } denied) return denied;

        // Every invitee is read before any invitation goes out: a bad one refuses them all.
        var invitees = new List<(Jid Jid, XElement Invite)>();
        foreach (var invite in x.Elements(MucUser + "invite"))
        {
            if (!Jid.TryParse(invite.Attribute("to")?.Value, out var to))
            {
                return StanzaError.JidMalformed("The invitee's address is not a valid JID.");
            }
            invitees.Add((to.Bare, invite));
        }
        // Each invitation is a message the room sends on the inviter's behalf: beyond the first
        // (counted on arrival), each costs the inviter a message token, so one stanza holding
        // thousands of <invite/>s cannot make the room a spam amplifier.
        if (invitees.Count > 1 && room.Limits.CheckMessages(room.State, actor.BareJid, invitees.Count - 1, room.Now) is { } limited)
        {
            return limited;
        }

        var id = message.Attribute("id")?.Value;
        foreach (var (invitee, invite) in invitees)
        {
            // §9.5: "any invitation sent SHOULD automatically trigger the addition of the invitee to
            // the member list" of a members-only room ("through an open room MUST NOT"). A banned
            // user stays banned: lifting a ban is an admin's explicit act.
            if (room.Config.MembersOnly && room.State.AffiliationOf(invitee) == Affiliation.None)
            {
                OccupantChanges.SetAffiliation(room, invitee, Affiliation.Member, null, null, actor.Nick);
            }
            SendInvitation(room, invitee, actor.BareJid, invite.Element(MucUser + "reason")?.Value, invite.Element(MucUser + "continue"), id);
        }
        return null;
    }

    /// <summary>
    /// §5.1.1 ("Invite Other Users": occupants by default, configurable; moderators always), §9.5
    /// (members-only rooms: "if a member without privileges to edit the member list attempts to
    /// invite another user, the service SHOULD return a forbidden error").
    /// </summary>
    private static StanzaError? MayInvite(RoomContext room, Actor actor)
    {
        // §5.1.1 table: a visitor may not invite ("No"), whatever muc#roomconfig_allowinvites
        // says — the "*" configurable privilege is the participant's (issue 5 audit: this
        // used to let visitors of a moderated room send invitations).
        var mayUseAllowInvites = room.Config.AllowInvites && actor.Role >= Role.Participant;
        var allowed = room.Config.MembersOnly
            ? actor.Affiliation >= Affiliation.Admin || (mayUseAllowInvites && actor.Affiliation >= Affiliation.Member)
            : mayUseAllowInvites || actor.IsModerator;
        return allowed ? null : StanzaError.Forbidden("You are not allowed to invite others to this room.");
    }

    /// <summary>
    /// §7.8.2 example 58: the invitee declines through the room, which tells the inviter — named
    /// by bare, full or occupant JID (§7.8.2 note) — if the inviter is in the room; otherwise
    /// the decline is dropped.
    /// </summary>
    private static StanzaError? Decline(RoomContext room, XElement message, XElement decline, Jid from)
    {
        if (!Jid.TryParse(decline.Attribute("to")?.Value, out var inviter))
        {
            return StanzaError.JidMalformed("The inviter's address is not a valid JID.");
        }
        var relayed = new XElement(MucUser + "decline", new XAttribute("from", from.Bare.ToString()));
        if (decline.Element(MucUser + "reason") is { } reason) relayed.Add(new XElement(MucUser + "reason", reason.Value));
        var id = message.Attribute("id")?.Value;

        if (inviter.Bare == room.RoomJid)
        {
            if (inviter.Resource is { } nick && room.State.FindByNick(nick) is { } named)
            {
                foreach (var session in named.Sessions) Relay(room, relayed, id, session.RealJid);
            }
            return null;
        }
        foreach (var occupant in room.State.Occupants)
        {
            if (occupant.BareJid != inviter.Bare) continue;
            foreach (var session in occupant.Sessions)
            {
                if (inviter.IsBare || session.RealJid == inviter) Relay(room, relayed, id, session.RealJid);
            }
        }
        return null;
    }

    private static void Relay(RoomContext room, XElement decline, string? id, Jid to)
    {
        var outgoing = new XElement(Client + "message",
            new XAttribute("from", room.RoomJid.ToString()),
            new XAttribute("to", to.ToString()),
            new XElement(MucUser + "x", new XElement(decline)));
        if (id is not null) outgoing.SetAttributeValue("id", id);
        room.Output.Send(outgoing, to);
    }
}
