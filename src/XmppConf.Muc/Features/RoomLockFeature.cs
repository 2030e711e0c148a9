using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// XEP-0045 §10.1.2–§10.1.3: a room created by a MUC client stays locked until its owner
/// configures it (or accepts the defaults); meanwhile others are told it does not exist.
/// </summary>
internal sealed class RoomLockFeature : IRoomFeature
{
    public int Order => 10;

    public StanzaError? CheckJoin(RoomContext room, JoinRequest join) =>
        room.State.Locked && join.Affiliation != Affiliation.Owner
            ? StanzaError.ItemNotFound("This room is locked until its owner configures it.")
            : null;
}
