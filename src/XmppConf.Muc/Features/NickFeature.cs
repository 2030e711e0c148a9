using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// Nickname rules: a nick in use by another user, or reserved by another user (registered
/// nick, XEP-0045 §7.10 / §9.3), is a conflict on entry (§7.2.8) and on change (§7.6.3); a nick
/// the service normalised gets status 210 (§7.2.3).
/// </summary>
internal sealed class NickFeature : IRoomFeature
{
    public int Order => 30;

    public StanzaError? CheckJoin(RoomContext room, JoinRequest join) =>
        Check(room, join.BareJid, join.Nick);

    public StanzaError? CheckNickChange(RoomContext room, Occupant occupant, Jid newOccupantJid) =>
        Check(room, occupant.BareJid, newOccupantJid.Resource!);

    public void AddJoinStatusCodes(RoomContext room, JoinRequest join, List<int> codes)
    {
        // The server hands us the prepared JID; if the raw 'to' differs in its nick, the user
        // asked for another spelling than the one they got (RFC 7622 preparation).
        var raw = join.Presence.Attribute("to")?.Value;
        var slash = raw?.IndexOf('/') ?? -1;
        if (raw is not null && slash >= 0 && !raw.AsSpan(slash + 1).SequenceEqual(join.Nick))
        {
            codes.Add(210);
        }
    }

    /// <summary>The nick as the room stores it (RFC 7622 resourcepart preparation, as entering does); false when it cannot be one.</summary>
    internal static bool TryPrepare(RoomContext room, string nick, out string prepared)
    {
        if (Jid.TryParse(room.RoomJid + "/" + nick, out var jid) && jid.Resource is { } resource)
        {
            prepared = resource;
            return true;
        }
        prepared = "";
        return false;
    }

    /// <summary>Conflict when <paramref name="nick"/> is held or reserved by a user other than <paramref name="bareJid"/>.</summary>
    internal static StanzaError? Check(RoomContext room, Jid bareJid, string nick)
    {
        if (room.State.FindByNick(nick) is { } holder && holder.BareJid != bareJid)
        {
            return StanzaError.Conflict("That nickname is already in use by another occupant.");
        }
        foreach (var (jid, entry) in room.State.Affiliations)
        {
            if (entry.Nick is not null && jid != bareJid && string.Equals(entry.Nick, nick, StringComparison.Ordinal))
            {
                return StanzaError.Conflict("That nickname is reserved by another user.");
            }
        }
        return null;
    }
}
