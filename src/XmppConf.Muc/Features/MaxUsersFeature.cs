using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// XEP-0045 §7.2.10: a full room refuses newcomers with service-unavailable; admins and owners
/// may still enter. A room configured without a limit (0) is capped by MucOptions.MaxUsersLimit.
/// </summary>
internal sealed class MaxUsersFeature : IRoomFeature
{
    public int Order => 60;

    public StanzaError? CheckJoin(RoomContext room, JoinRequest join)
    {
        if (join.JoinsExisting is not null || join.Affiliation >= Affiliation.Admin || join.IsServerAdmin) return null;
        return room.State.OccupantCount >= Limit(room)
            ? StanzaError.ServiceUnavailable("This room has reached its maximum number of occupants.")
            : null;
    }

    public static int Limit(RoomContext room) =>
        room.Config.MaxUsers <= 0 ? room.Options.MaxUsersLimit : Math.Min(room.Config.MaxUsers, room.Options.MaxUsersLimit);
}
