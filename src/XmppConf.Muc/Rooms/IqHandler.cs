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
    private readonly IqForwarding _forwarding = new();

    public ValueTask HandleAsync(XElement iq, Jid from, Jid to)
    {
        var type = iq.Attribute("type")?.Value;
        if (type is "result" or "error")
        {
            // Answers to requests relayed between occupants; anything else answers nothing we sent.
            if (!to.IsBare) _forwarding.TryReturn(room, iq, from, to);
            return ValueTask.CompletedTask;
        }
        if (type is not ("get" or "set") || iq.Attribute("id") is null)
        {
            room.Output.SendError(iq, from, to, StanzaError.BadRequest());
            return ValueTask.CompletedTask;
        }

        var sender = room.State.FindBySession(from);
        var reply = to.IsBare
            ? room.Features.HandleRoomIq(room, sender, iq, from) ?? IqReply.Failed(StanzaError.ServiceUnavailable())
            : room.Features.HandleOccupantIq(room, sender, to, iq, from);
        if (reply is null && sender is not null && room.State.FindByNick(to.Resource!) is { } target && !ReferenceEquals(target, sender))
        {
            _forwarding.Forward(room, iq, from, sender, target);
            return ValueTask.CompletedTask;
        }
        Send(iq, from, to, reply ?? Unclaimed(sender, to));
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
        // Only an IQ to oneself that self-ping did not claim ends here.
        return IqReply.Failed(StanzaError.FeatureNotImplemented("This IQ to your own occupant JID is not supported."));
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
