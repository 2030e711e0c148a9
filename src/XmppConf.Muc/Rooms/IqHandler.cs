using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Muc.Features;

namespace XmppConf.Muc.Rooms;

/// <summary>
/// IQs to a room or an occupant JID. Every answer comes from a feature's hook (owner, admin,
/// disco, self-ping…); what no feature claims is refused here.
/// </summary>
internal sealed class IqHandler(RoomContext room)
{
    private static readonly XNamespace Client = Ns.Client;

    public ValueTask HandleAsync(XElement iq, Jid from, Jid to)
    {
        var type = iq.Attribute("type")?.Value;
        if (type is "result" or "error")
        {
            return ValueTask.CompletedTask; // The room sends no requests, so expects no replies.
        }
        if (type is not ("get" or "set") || iq.Attribute("id") is null)
        {
            room.Output.SendError(iq, from, to, StanzaError.BadRequest());
            return ValueTask.CompletedTask;
        }

        var sender = room.State.FindBySession(from);
        var reply = to.IsBare
            ? room.Features.HandleRoomIq(room, sender, iq, from) ?? IqReply.Failed(StanzaError.ServiceUnavailable())
            : room.Features.HandleOccupantIq(room, sender, to, iq, from) ?? Unclaimed(sender, to);
        Send(iq, from, to, reply);
        return ValueTask.CompletedTask;
    }

    private IqReply Unclaimed(Occupant? sender, Jid target)
    {
        if (sender is null)
        {
            // XEP-0410 §3.3: non-occupants get not-acceptable, which tells a client to rejoin.
            return IqReply.Failed(StanzaError.NotAcceptable("Only occupants may send IQs to occupants."));
        }
        if (room.State.FindByNick(target.Resource!) is null)
        {
            return IqReply.Failed(StanzaError.ItemNotFound("No occupant has that nickname."));
        }
        return IqReply.Failed(StanzaError.FeatureNotImplemented("IQs to occupants are not forwarded."));
    }

    private void Send(XElement iq, Jid from, Jid to, IqReply reply)
    {
        if (reply.Error is { } error)
        {
            room.Output.SendError(iq, from, to, error);
            return;
        }
        var result = new XElement(Client + "iq",
            new XAttribute("type", "result"),
            new XAttribute("id", iq.Attribute("id")!.Value),
            new XAttribute("from", to.ToString()),
            new XAttribute("to", from.ToString()));
        if (reply.Payload is not null) result.Add(reply.Payload);
        room.Output.Send(result, from);
    }
}
