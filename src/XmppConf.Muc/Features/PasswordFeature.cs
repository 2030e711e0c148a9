using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>XEP-0045 §7.2.6: entering a password-protected room needs the password, else not-authorized.</summary>
internal sealed class PasswordFeature : IRoomFeature
{
    public int Order => 50;

    public StanzaError? CheckJoin(RoomContext room, JoinRequest join)
    {
        // Another session of an occupant already admitted under this nick is the same user.
        if (!room.Config.PasswordProtected || join.JoinsExisting is not null || join.CreatesRoom) return null;
        return string.Equals(join.Password, room.Config.Password, StringComparison.Ordinal)
            ? null
            : StanzaError.NotAuthorized("A password is required to enter this room.");
    }
}
