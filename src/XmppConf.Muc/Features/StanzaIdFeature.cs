using System.Xml.Linq;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// XEP-0359 §3: every groupchat message the room broadcasts carries a &lt;stanza-id/&gt; with
/// by = the room JID, unique per room (a version-7 GUID: unique and time-ordered).
/// </summary>
internal sealed class StanzaIdFeature : IRoomFeature
{
    private static readonly XName StanzaId = XName.Get("stanza-id", MucNs.StanzaId);

    public int Order => 130;

    public void ContributeDiscoInfo(RoomContext room, DiscoInfo info) => info.AddFeature(MucNs.StanzaId);

    public void DecorateGroupchat(RoomContext room, Occupant sender, XElement outgoing) =>
        outgoing.Add(new XElement(StanzaId,
            new XAttribute("id", Guid.CreateVersion7().ToString()),
            new XAttribute("by", room.RoomJid.ToString())));
}
