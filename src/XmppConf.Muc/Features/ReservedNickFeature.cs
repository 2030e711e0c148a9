using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// Discovering one's reserved nickname (XEP-0045 §7.12): disco#info to the room with node
/// x-roomuser-item answers with a conference/text identity named after the nick the user
/// reserved (§7.10 registration, §9.3 granted membership), or an empty query when there is
/// none. Runs before <see cref="RoomDiscoFeature"/>, which refuses other nodes.
/// </summary>
internal sealed class ReservedNickFeature : IRoomFeature
{
    public const string Node = "x-roomuser-item";

    private static readonly XNamespace Info = Ns.DiscoInfo;

    public int Order => -1;

    public IqReply? HandleRoomIq(RoomContext room, Occupant? sender, XElement iq, Jid from)
    {
        if (iq.Attribute("type")?.Value != "get" || iq.Element(Info + "query") is not { } query
            || query.Attribute("node")?.Value != Node)
        {
            return null;
        }
        var entry = room.State.Affiliations.GetValueOrDefault(from.Bare);
        if (room.State.Locked && entry?.Affiliation != Affiliation.Owner)
        {
            return IqReply.Failed(StanzaError.ItemNotFound()); // §10.1.2: a locked room does not exist yet.
        }
        var info = new DiscoInfo();
        if (entry?.Nick is { } nick) info.Identities.Add(("conference", "text", nick));
        return IqReply.Result(info.ToQuery(Node));
    }
}
