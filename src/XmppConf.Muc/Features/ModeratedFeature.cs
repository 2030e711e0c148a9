using System.Xml.Linq;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// XEP-0045 §5.1.1 moderated rooms: users without an affiliation enter as visitors, and
/// visitors may not speak (§7.4: forbidden).
/// </summary>
internal sealed class ModeratedFeature : IRoomFeature
{
    public int Order => 70;

    public Role? DefaultRole(RoomContext room, Affiliation affiliation) =>
        room.Config.Moderated && affiliation == Affiliation.None ? Role.Visitor : null;

    public StanzaError? CheckGroupchat(RoomContext room, Occupant sender, XElement message) =>
        sender.Role < Role.Participant
            ? StanzaError.Forbidden("Visitors are not allowed to send messages to all occupants.")
            : null;
}
