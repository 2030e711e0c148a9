using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Xml;

namespace XmppConf.Muc.Rooms;

/// <summary>
/// IQs between occupants (XEP-0045 §7.5-style relaying, as Prosody and ejabberd do): a request to
/// room/nick goes to one session of that occupant with 'from' = the sender's occupant JID and a
/// room-chosen id, so real JIDs stay hidden; the answer is matched by that id and returned to the
/// sender with its own id. Owned by the room actor; bounded so unanswered requests cannot pile up.
/// </summary>
internal sealed class IqForwarding
{
    private const int MaxPending = 256;
    private static readonly XNamespace Client = Ns.Client;
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private long _next;

    private sealed record Pending(string OriginalId, Jid Requester, Jid RequesterOccupant, Jid Responder, Jid ResponderOccupant);

    /// <summary>Relays a get/set from <paramref name="sender"/> to <paramref name="target"/>'s primary session.</summary>
    public void Forward(RoomContext room, XElement iq, Jid from, Occupant sender, Occupant target)
    {
        var id = "fwd" + (++_next).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var responder = target.Primary.RealJid;
        Remember(id, new Pending(iq.Attribute("id")!.Value, from, sender.OccupantJid, responder, target.OccupantJid));
        var copy = new XElement(iq);
        copy.SetAttributeValue("id", id);
        copy.SetAttributeValue("from", sender.OccupantJid.ToString());
        copy.SetAttributeValue("to", responder.ToString());
        room.Output.Send(copy, responder);
    }

    /// <summary>Returns a result/error to the requester; false when it answers nothing we relayed.</summary>
    public bool TryReturn(RoomContext room, XElement reply, Jid from, Jid to)
    {
        var id = reply.Attribute("id")?.Value;
        // Only the session we asked may answer, and only to the occupant JID we asked from.
        if (id is null || !_pending.TryGetValue(id, out var pending) || !pending.Responder.Equals(from) || !pending.RequesterOccupant.Equals(to))
        {
            return false;
        }
        _pending.Remove(id);
        var copy = new XElement(reply);
        copy.SetAttributeValue("id", pending.OriginalId);
        copy.SetAttributeValue("from", pending.ResponderOccupant.ToString());
        copy.SetAttributeValue("to", pending.Requester.ToString());
        room.Output.Send(copy, pending.Requester);
        return true;
    }

    private void Remember(string id, Pending pending)
    {
        _pending[id] = pending;
        _order.Enqueue(id);
        while (_order.Count > MaxPending)
        {
            _pending.Remove(_order.Dequeue());
        }
    }
}
