using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// muc#roomconfig_enablelogging: a publicly logged room warns entrants with status 170
/// (XEP-0045 §7.2.12).
/// </summary>
internal sealed class LoggingFeature : IRoomFeature
{
    public int Order => 90;

    public void AddJoinStatusCodes(RoomContext room, JoinRequest join, List<int> codes)
    {
        if (room.Config.EnableLogging) codes.Add(170);
    }
}
