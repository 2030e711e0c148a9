using System.Xml.Linq;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// XEP-0421: every presence and message the room sends from an occupant's JID carries that
/// occupant's stable, anonymous &lt;occupant-id/&gt;.
/// </summary>
internal sealed class OccupantIdFeature : IRoomFeature
{
    private static readonly XName OccupantId = XName.Get("occupant-id", MucNs.OccupantId);

    public int Order => 140;

    public void ContributeDiscoInfo(RoomContext room, DiscoInfo info) => info.AddFeature(MucNs.OccupantId);

    public void DecorateFromOccupant(RoomContext room, Occupant occupant, XElement outgoing) =>
        outgoing.Add(new XElement(OccupantId, new XAttribute("id", occupant.OccupantId)));
}
