using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Muc.Service;

namespace XmppConf.Muc.Rooms;

/// <summary>
/// Messages to a room (XEP-0045 §7.4 groupchat, §8.1 subject via features) and to occupants
/// (§7.5 private messages). Runs on the room's actor; rules are features' hooks.
/// </summary>
internal sealed class MessageHandler(RoomContext room)
{
    private static readonly XNamespace Client = Ns.Client;
    private static readonly XNamespace MucUser = Ns.MucUser;
    private static readonly XName StanzaIdName = XName.Get("stanza-id", MucNs.StanzaId);
    private static readonly XName OccupantIdName = XName.Get("occupant-id", MucNs.OccupantId);

    public void Handle(XElement message, Jid from, Jid to)
    {
        var type = message.Attribute("type")?.Value;
        var sender = room.State.FindBySession(from);
        if (type == "error")
        {
            // A session that bounces room traffic cannot take part; treat it as gone.
            if (sender is not null) room.Output.ReportGone(from);
            return;
        }
        // Issue 5: every message counts against its sender's rate, occupant or not, before any
        // other work; over it, the message is bounced and not relayed.
        if (room.Limits.CheckMessage(room.State, from.Bare, room.Now) is { } limited)
        {
            room.Output.SendError(message, from, to, limited);
            return;
        }
        if (to.IsBare)
        {
            if (type == "groupchat")
            {
                Groupchat(sender, message, from, to);
            }
            else if (!room.Features.TryHandleRoomMessage(room, sender, message, from))
            {
                room.Output.SendError(message, from, to, StanzaError.NotAcceptable("Only groupchat messages may be sent to the room."));
            }
            return;
        }
        Private(sender, message, from, to);
    }

    private void Groupchat(Occupant? sender, XElement message, Jid from, Jid to)
    {
        if (sender is null)
        {
            // XEP-0045 §7.4: only occupants may send to all occupants.
            room.Output.SendError(message, from, to, StanzaError.NotAcceptable("Only occupants are allowed to send messages to the conference."));
            return;
        }
        if (room.Features.CheckGroupchat(room, sender, message) is { } error)
        {
            room.Output.SendError(message, from, to, error);
            return;
        }
        if (room.Limits.CheckRoomGroupchat(room.Now) is { } busy)
        {
            room.Output.SendError(message, from, to, busy);
            return;
        }
        if (room.Features.TryHandleGroupchat(room, sender, message, from))
        {
            return;
        }

        var outgoing = FromOccupant(message, sender, "groupchat");
        room.Features.DecorateGroupchat(room, sender, outgoing);
        var broadcast = new BroadcastStanza(outgoing);
        room.SendToAll(broadcast);
        room.Features.OnGroupchatSent(room, sender, broadcast);
    }

    private void Private(Occupant? sender, XElement message, Jid from, Jid to)
    {
        if (sender is null)
        {
            room.Output.SendError(message, from, to, StanzaError.NotAcceptable("Only occupants may send private messages."));
            return;
        }
        if (message.Attribute("type")?.Value == "groupchat")
        {
            // XEP-0045 §7.5: a groupchat message to an occupant JID is bad-request.
            room.Output.SendError(message, from, to, StanzaError.BadRequest("Private messages must not be of type groupchat."));
            return;
        }
        if (room.State.FindByNick(to.Resource!) is not { } recipient)
        {
            room.Output.SendError(message, from, to, StanzaError.ItemNotFound("No occupant has that nickname."));
            return;
        }
        if (room.Features.CheckPrivateMessage(room, sender, recipient, message) is { } error)
        {
            room.Output.SendError(message, from, to, error);
            return;
        }

        // XEP-0045 §7.5: from the sender's occupant JID, marked with an empty muc#user <x/>.
        var outgoing = FromOccupant(message, sender, message.Attribute("type")?.Value);
        if (outgoing.Element(MucUser + "x") is null)
        {
            outgoing.Add(new XElement(MucUser + "x"));
        }
        var broadcast = new BroadcastStanza(outgoing);
        foreach (var session in recipient.Sessions)
        {
            room.Output.Send(broadcast, session.RealJid);
        }
    }

    /// <summary>
    /// The message as the room relays it: from the sender's occupant JID, the client's id and
    /// payload kept, minus stanza-ids claiming to be the room's (XEP-0359 §5) and any
    /// occupant-id (XEP-0421 §4): a client must not forge either.
    /// </summary>
    private XElement FromOccupant(XElement message, Occupant sender, string? type)
    {
        var outgoing = new XElement(Client + "message", new XAttribute("from", sender.OccupantJid.ToString()));
        if (type is not null) outgoing.SetAttributeValue("type", type);
        if (message.Attribute("id") is { } id) outgoing.SetAttributeValue("id", id.Value);
        if (message.Attribute(XNamespace.Xml + "lang") is { } lang) outgoing.SetAttributeValue(XNamespace.Xml + "lang", lang.Value);
        var roomJid = room.RoomJid.ToString();
        foreach (var child in message.Elements())
        {
            if (child.Name == OccupantIdName) continue;
            if (child.Name == StanzaIdName && child.Attribute("by")?.Value == roomJid) continue;
            outgoing.Add(new XElement(child));
        }
        room.Features.DecorateFromOccupant(room, sender, outgoing);
        return outgoing;
    }
}
