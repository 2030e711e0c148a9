using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// XEP-0410 §3.3 self-ping optimisation: a ping to one's own occupant JID is answered by the
/// room itself — result when the session is joined under that nick, not-acceptable when not.
/// </summary>
internal sealed class SelfPingFeature : IRoomFeature
{
    private static readonly XName Ping = XName.Get("ping", Ns.Ping);

    public int Order => 150;

    public void ContributeDiscoInfo(RoomContext room, DiscoInfo info) => info.AddFeature(MucNs.SelfPing);

    public IqReply? HandleOccupantIq(RoomContext room, Occupant? sender, Jid target, XElement iq, Jid from)
    {
        if (iq.Attribute("type")?.Value != "get" || iq.Element(Ping) is null) return null;
        if (sender is null)
        {
            return IqReply.Failed(StanzaError.NotAcceptable("You are not joined to this room."));
        }
        // A ping to another occupant is theirs to answer; not forwarded (see IqHandler).
        return sender.OccupantJid == target ? IqReply.Empty : null;
    }
}
