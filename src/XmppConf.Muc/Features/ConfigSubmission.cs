using XmppConf.Core.Addressing;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// A muc#roomconfig submission being applied (XEP-0045 §10.2): the proposed configuration and
/// affiliation changes (roomowners, roomadmins). Nothing reaches the room until every field is
/// accepted and the whole is valid.
/// </summary>
internal sealed class ConfigSubmission(RoomConfig current)
{
    public RoomConfig Config { get; set; } = current;

    /// <summary>The complete new owner list, when the form carried muc#roomconfig_roomowners.</summary>
    public IReadOnlyList<Jid>? Owners { get; set; }

    /// <summary>The complete new admin list, when the form carried muc#roomconfig_roomadmins.</summary>
    public IReadOnlyList<Jid>? Admins { get; set; }

    /// <summary>A new room password typed by the owner, in clear, kept only in memory once applied (for invitations).</summary>
    public string? NewPassword { get; set; }
}
