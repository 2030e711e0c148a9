using System.Diagnostics.CodeAnalysis;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// Nickname rules: every nick is enforced with the RFC 8266 Nickname profile and
/// Muc:MaxNickLength (<see cref="TryEnforce"/>); a nick in use by another user, or reserved by
/// another user (registered nick, XEP-0045 §7.10 / §9.3), is a conflict on entry (§7.2.8) and
/// on change (§7.6.3), comparing RFC 8266 comparison keys ("Bob" and "BOB" conflict); a nick
/// the service normalised gets status 210 (§7.2.3).
/// </summary>
internal sealed class NickFeature : IRoomFeature
{
    public int Order => 30;

    public StanzaError? CheckJoin(RoomContext room, JoinRequest join) =>
        Check(room, join.BareJid, join.Nick);

    public StanzaError? CheckNickChange(RoomContext room, Occupant occupant, Jid newOccupantJid) =>
        Check(room, occupant.BareJid, newOccupantJid.Resource!, occupant);

    /// <summary>
    /// The occupant JID for a requested nick: the nick enforced with the RFC 8266 Nickname
    /// profile (spaces trimmed and collapsed, NFKC; controls and unassigned code points refused)
    /// and at most Muc:MaxNickLength code points. False when the nick cannot be one; the caller
    /// answers jid-malformed on entry (XEP-0045 §7.2.1) or not-acceptable on a nick change (§7.6).
    /// </summary>
    internal static bool TryEnforce(RoomContext room, string requested, [NotNullWhen(true)] out Jid? occupantJid)
    {
        occupantJid = null;
        if (!Nickname.TryEnforce(requested, out var nick) || Nickname.CodePointCount(nick) > room.Options.MaxNickLength) return false;
        if (string.Equals(nick, requested, StringComparison.Ordinal))
        {
            occupantJid = room.RoomJid.WithResource(requested);
            return true;
        }
        return Jid.TryParse(room.RoomJid + "/" + nick, out occupantJid) && string.Equals(occupantJid.Resource, nick, StringComparison.Ordinal);
    }

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

    /// <summary>The nick as the room stores it (RFC 7622 resourcepart preparation and the RFC 8266 profile, as entering does); false when it cannot be one.</summary>
    internal static bool TryPrepare(RoomContext room, string nick, out string prepared)
    {
        if (Jid.TryParse(room.RoomJid + "/" + nick, out var jid) && jid.Resource is { } resource && TryEnforce(room, resource, out var enforced))
        {
            prepared = enforced.Resource!;
            return true;
        }
        prepared = "";
        return false;
    }

    /// <summary>
    /// Conflict when <paramref name="nick"/> (compared by RFC 8266 key) is held or reserved by a
    /// user other than <paramref name="bareJid"/>, or, for a nick change of <paramref name="changing"/>,
    /// held by any other occupant (the same user may hold two nicks, never two occupants one nick).
    /// </summary>
    internal static StanzaError? Check(RoomContext room, Jid bareJid, string nick, Occupant? changing = null)
    {
        if (room.State.FindByNick(nick) is { } holder
            && (holder.BareJid != bareJid || (changing is not null && !ReferenceEquals(holder, changing))))
        {
            return StanzaError.Conflict("That nickname is already in use by another occupant.");
        }
        var key = Nickname.ComparisonKey(nick);
        foreach (var (jid, entry) in room.State.Affiliations)
        {
            if (entry.Nick is not null && jid != bareJid && string.Equals(Nickname.ComparisonKey(entry.Nick), key, StringComparison.Ordinal))
            {
                return StanzaError.Conflict("That nickname is reserved by another user.");
            }
        }
        return null;
    }
}
