using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// Destroying a room (XEP-0045 §10.9): an owner sends &lt;query xmlns='…muc#owner'&gt;&lt;destroy/&gt;,
/// optionally naming an alternate venue (with its password) and a reason. The room ends: each
/// occupant gets one unavailable presence carrying &lt;destroy/&gt; (only its own — the others'
/// departures are not broadcast), and a persistent room is deleted from storage. The actor does
/// both on its way out (<see cref="RoomContext.RequestDestroy"/>).
/// </summary>
internal sealed class DestroyFeature : IRoomFeature
{
    private static readonly XNamespace MucOwner = Ns.MucOwner;
    private static readonly XNamespace MucUser = Ns.MucUser;

    public int Order => 999;

    public IqReply? HandleRoomIq(RoomContext room, Occupant? sender, XElement iq, Jid from)
    {
        if (iq.Element(MucOwner + "query")?.Element(MucOwner + "destroy") is not { } destroy) return null;
        if (iq.Attribute("type")?.Value != "set")
        {
            return IqReply.Failed(StanzaError.BadRequest("A room is destroyed with an iq set."));
        }
        // §10.9: "If the <user@host> of the 'from' address … does not match the bare JID of a room owner, … forbidden".
        if (Actor.Of(room, from).Affiliation != Affiliation.Owner)
        {
            return IqReply.Failed(StanzaError.Forbidden("Only owners may destroy the room."));
        }

        var notice = new XElement(MucUser + "destroy");
        if (destroy.Attribute("jid")?.Value is { } venue)
        {
            if (!Jid.TryParse(venue, out var alternate))
            {
                return IqReply.Failed(StanzaError.JidMalformed("The alternate venue is not a valid JID."));
            }
            notice.SetAttributeValue("jid", alternate.ToString());
        }
        if (destroy.Element(MucOwner + "reason")?.Value is { } reason)
        {
            notice.Add(new XElement(MucUser + "reason", reason));
        }
        if (destroy.Element(MucOwner + "password")?.Value is { } password)
        {
            notice.Add(new XElement(MucUser + "password", password));
        }
        room.RequestDestroy(notice);
        return IqReply.Empty;
    }
}
