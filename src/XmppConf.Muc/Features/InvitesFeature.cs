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
/// own JID with the inviter's bare JID (not the session, which a semi-anonymous room should not
/// reveal) and the password. Without allowinvites only admins and owners may invite; an admin's
/// invitation to a members-only room makes the invitee a member. A decline is relayed only to
/// a user who is in the room, so the room cannot be used to message arbitrary addresses.
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
        var x = message.Element(MucUser + "x");
        if (x is null) return false;
        var invites = x.Elements(MucUser + "invite").ToList();
        if (invites.Count > 0)
        {
            Invite(room, sender, message, from, invites);
            return true;
        }
        if (x.Element(MucUser + "decline") is { } decline)
        {
            Decline(room, message, from, decline);
            return true;
        }
        return false;
    }

    private static void Invite(RoomContext room, Occupant? sender, XElement message, Jid from, List<XElement> invites)
    {
        if (sender is null)
        {
            room.Output.SendError(message, from, room.RoomJid, StanzaError.NotAcceptable("Only occupants may invite others."));
            return;
        }
        var privileged = sender.Affiliation >= Affiliation.Admin;
        if (!room.Config.AllowInvites && !privileged)
        {
            room.Output.SendError(message, from, room.RoomJid, StanzaError.Forbidden("You are not allowed to invite others to this room."));
            return;
        }
        var invitees = new List<Jid>(invites.Count);
        foreach (var invite in invites)
        {
            if (!Jid.TryParse(invite.Attribute("to")?.Value, out var invitee))
            {
                room.Output.SendError(message, from, room.RoomJid, StanzaError.JidMalformed("The invitee's address is not a valid JID."));
                return;
            }
            invitees.Add(invitee);
        }

        for (var i = 0; i < invites.Count; i++)
        {
            var invitee = invitees[i];
            if (room.Config.MembersOnly && privileged && room.State.AffiliationOf(invitee.Bare) == Affiliation.None)
            {
                // §7.8.2: in a members-only room an admin's invitation grants membership.
                room.State.Affiliations[invitee.Bare] = new AffiliationEntry(Affiliation.Member);
                room.MarkDirty();
            }
            var relayed = new XElement(MucUser + "invite", new XAttribute("from", sender.BareJid.ToString()));
            if (invites[i].Element(MucUser + "reason") is { } reason) relayed.Add(new XElement(MucUser + "reason", reason.Value));
            var userX = new XElement(MucUser + "x", relayed);
            // Only known in clear if set since this node activated the room (the store keeps a hash).
            if (room.Config.PasswordProtected && room.State.ClearPassword is { } password) userX.Add(new XElement(MucUser + "password", password));
            var outgoing = new XElement(Client + "message",
                new XAttribute("from", room.RoomJid.ToString()),
                new XAttribute("to", invitee.ToString()),
                userX,
                new XElement(Client + "body", $"{sender.BareJid} invites you to the room {room.RoomJid}"));
            if (message.Attribute("id") is { } id) outgoing.SetAttributeValue("id", id.Value);
            room.Output.Send(outgoing, invitee);
        }
    }

    private static void Decline(RoomContext room, XElement message, Jid from, XElement decline)
    {
        if (!Jid.TryParse(decline.Attribute("to")?.Value, out var inviter)) return;
        if (room.State.FindByBareJid(inviter.Bare) is not { } occupant) return;
        var relayed = new XElement(MucUser + "decline", new XAttribute("from", from.Bare.ToString()));
        if (decline.Element(MucUser + "reason") is { } reason) relayed.Add(new XElement(MucUser + "reason", reason.Value));
        foreach (var session in occupant.Sessions)
        {
            var outgoing = new XElement(Client + "message",
                new XAttribute("from", room.RoomJid.ToString()),
                new XAttribute("to", session.RealJid.ToString()),
                new XElement(MucUser + "x", relayed));
            if (message.Attribute("id") is { } id) outgoing.SetAttributeValue("id", id.Value);
            room.Output.Send(outgoing, session.RealJid);
        }
    }
}
