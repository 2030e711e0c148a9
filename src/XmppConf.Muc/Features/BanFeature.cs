using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>XEP-0045 §7.2.7: a banned user (affiliation outcast) may not enter.</summary>
internal sealed class BanFeature : IRoomFeature
{
    public int Order => 20;

    public StanzaError? CheckJoin(RoomContext room, JoinRequest join) =>
        join.Affiliation == Affiliation.Outcast && !join.IsServerAdmin
            ? StanzaError.Forbidden("You are banned from this room.")
            : null;
}
