using XmppConf.Core.Addressing;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// Who is asking the room to do something privileged, read from the room's own state at the
/// time of the request (never from anything the request claims): the user's affiliation, the
/// role of their occupant if they are in the room, and whether they administer the server.
/// </summary>
internal sealed class Actor
{
    private Actor(Jid realJid, Affiliation affiliation, Occupant? occupant, bool isServerAdmin)
    {
        RealJid = realJid;
        Affiliation = affiliation;
        Occupant = occupant;
        IsServerAdmin = isServerAdmin;
    }

    /// <summary>The sender's full JID.</summary>
    public Jid RealJid { get; }

    public Jid BareJid => RealJid.Bare;

    /// <summary>
    /// The user's affiliation; a server administrator counts as an owner, as the entry rules
    /// already let them pass (<see cref="JoinRequest.IsServerAdmin"/>).
    /// </summary>
    public Affiliation Affiliation { get; }

    /// <summary>The occupant the sender is joined as (this session first, else another of the user's), or null.</summary>
    public Occupant? Occupant { get; }

    public bool IsServerAdmin { get; }

    public Role Role => Occupant?.Role ?? Role.None;

    /// <summary>
    /// XEP-0045 §8: moderator requests come from "one of the moderators". Admins and owners are
    /// moderators by their affiliation (§5.1.2) even while outside the room, so they may act on
    /// occupants without joining.
    /// </summary>
    public bool IsModerator => Role == Role.Moderator || Affiliation >= Affiliation.Admin;

    /// <summary>The actor's nick for &lt;actor nick='…'/&gt; (§8.2), or null when not in the room.</summary>
    public string? Nick => Occupant?.Nick;

    public static Actor Of(RoomContext room, Jid from)
    {
        var bare = from.Bare;
        var isServerAdmin = room.Host.IsServerAdmin(bare);
        var affiliation = isServerAdmin ? Affiliation.Owner : room.State.AffiliationOf(bare);
        var occupant = room.State.FindBySession(from) ?? room.State.FindByBareJid(bare);
        return new Actor(from, affiliation, occupant, isServerAdmin);
    }
}
