using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>XEP-0045 §7.2.5: only members (and admins, owners) enter a members-only room.</summary>
internal sealed class MembersOnlyFeature : IRoomFeature
{
    public int Order => 40;

    public StanzaError? CheckJoin(RoomContext room, JoinRequest join) =>
        room.Config.MembersOnly && join.Affiliation < Affiliation.Member && !join.IsServerAdmin
            ? StanzaError.RegistrationRequired("This room is members-only.")
            : null;
}
