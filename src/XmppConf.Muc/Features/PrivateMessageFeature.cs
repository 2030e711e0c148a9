using System.Xml.Linq;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// Private messages between occupants (XEP-0045 §7.5) as muc#roomconfig_allowpm allows:
/// anyone, participants (and moderators), moderators, or none.
/// </summary>
internal sealed class PrivateMessageFeature : IRoomFeature
{
    public int Order => 120;

    public StanzaError? CheckPrivateMessage(RoomContext room, Occupant sender, Occupant recipient, XElement message)
    {
        var allowed = room.Config.AllowPm switch
        {
            PmPolicy.Anyone => true,
            PmPolicy.Participants => sender.Role >= Role.Participant,
            PmPolicy.Moderators => sender.Role == Role.Moderator,
            _ => false,
        };
        return allowed ? null : StanzaError.Forbidden("You are not allowed to send private messages in this room.");
    }
}
