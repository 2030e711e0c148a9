using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// Service discovery on a room (XEP-0045 §6.4 disco#info with the muc#roominfo form, §6.5
/// disco#items). The answer is assembled from every feature's ContributeDiscoInfo, so it lists
/// exactly what the room has (XmppConf STYLE §13). disco#items lists occupant JIDs only in a
/// non-anonymous room: in a semi-anonymous room even the nick list is withheld.
/// </summary>
internal sealed class RoomDiscoFeature : IRoomFeature
{
    private static readonly XNamespace Info = Ns.DiscoInfo;
    private static readonly XNamespace Items = Ns.DiscoItems;

    public int Order => 0;

    public void ContributeDiscoInfo(RoomContext room, DiscoInfo info)
    {
        info.Identities.Add(("conference", "text", DisplayName(room)));
        info.AddFeature(Ns.Muc);
        info.AddFeature(Ns.DiscoInfo);
        info.AddFeature(Ns.DiscoItems);
    }

    public IqReply? HandleRoomIq(RoomContext room, Occupant? sender, XElement iq, Jid from)
    {
        if (iq.Attribute("type")?.Value != "get") return null;
        var infoQuery = iq.Element(Info + "query");
        var itemsQuery = infoQuery is null ? iq.Element(Items + "query") : null;
        if (infoQuery is null && itemsQuery is null) return null;

        // A locked room does not exist yet for anyone but its owner (§10.1.2).
        if (room.State.Locked && room.State.AffiliationOf(from.Bare) != Affiliation.Owner)
        {
            return IqReply.Failed(StanzaError.ItemNotFound());
        }
        if ((infoQuery ?? itemsQuery)!.Attribute("node") is not null)
        {
            return IqReply.Failed(StanzaError.ItemNotFound("No such node."));
        }
        return infoQuery is not null ? IqReply.Result(BuildInfo(room).ToQuery()) : IqReply.Result(BuildItems(room));
    }

    public static DiscoInfo BuildInfo(RoomContext room)
    {
        var info = new DiscoInfo { Form = new DataForm(DataFormType.Result, MucNs.RoomInfo) };
        room.Features.ContributeDiscoInfo(room, info);
        return info;
    }

    /// <summary>The room's name for humans: its configured name, else its localpart.</summary>
    public static string DisplayName(RoomContext room) =>
        room.Config.Name.Length > 0 ? room.Config.Name : room.RoomJid.Local!;

    private static XElement BuildItems(RoomContext room)
    {
        var query = new XElement(Items + "query");
        if (room.Config.Whois != WhoisPolicy.Anyone) return query;
        foreach (var occupant in room.State.Occupants)
        {
            if (room.Presence.IsBroadcast(occupant))
            {
                query.Add(new XElement(Items + "item", new XAttribute("jid", occupant.OccupantJid.ToString())));
            }
        }
        return query;
    }
}
