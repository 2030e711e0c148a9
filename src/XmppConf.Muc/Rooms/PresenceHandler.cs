using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Muc.Features;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Muc.Rooms;

/// <summary>
/// Presence to a room (XEP-0045 §7.2 entering, §7.6 nick change, §7.7 presence update, §7.14
/// leaving). Runs on the room's actor. Entry rules are features' <c>CheckJoin</c> hooks; this
/// class only sequences the stanzas.
/// </summary>
internal sealed class PresenceHandler(RoomContext room)
{
    private static readonly XNamespace Muc = Ns.Muc;
    private static readonly XNamespace MucUser = Ns.MucUser;

    public async ValueTask HandleAsync(XElement presence, Jid from, Jid to)
    {
        var occupant = room.State.FindBySession(from);
        switch (presence.Attribute("type")?.Value)
        {
            case null:
                break;
            case "unavailable":
                if (occupant is not null)
                {
                    await LeaveAsync(occupant, from, presence).ConfigureAwait(false);
                }
                return;
            case "error":
                // A presence error from an occupant's session means it cannot take room traffic.
                await SessionGoneAsync(from).ConfigureAwait(false);
                return;
            default:
                return; // subscribe, probe…: not meaningful to a room.
        }

        if (to.IsBare)
        {
            // XEP-0045 §7.2.1: entering without a nick is jid-malformed.
            room.Output.SendError(presence, from, to, StanzaError.JidMalformed("A nickname is required to enter the room."));
            return;
        }
        // Issue 5: entries, status updates and nick changes count against the user's presence
        // rate (each one is broadcast to every occupant); leaving is never refused.
        // An occupant's status update or nick change also counts against the room's presence rate
        // (entries count there only once they pass the entry rules, in JoinAsync).
        var limited = room.Limits.CheckPresence(room.State, from.Bare, room.Now);
        if (limited is null && occupant is not null) limited = room.Limits.CheckRoomPresence(room.Now);
        if (limited is not null)
        {
            room.Output.SendError(presence, from, to, limited);
            return;
        }
        // RFC 8266 Nickname profile and Muc:MaxNickLength; the room uses the enforced nick
        // (status 210 tells the client when it differs from the one asked for, §7.2.3).
        if (!NickFeature.TryEnforce(room, to.Resource!, out var occupantJid))
        {
            var bad = occupant is null
                ? StanzaError.JidMalformed("That nickname is not allowed (empty, too long, or with characters nicknames may not use).")
                : StanzaError.NotAcceptable("That nickname is not allowed (empty, too long, or with characters nicknames may not use).");
            room.Output.SendError(presence, from, to, bad);
            return;
        }
        if (occupant is null)
        {
            await JoinAsync(presence, from, occupantJid).ConfigureAwait(false);
        }
        else if (string.Equals(occupant.Nick, occupantJid.Resource, StringComparison.Ordinal))
        {
            UpdatePresence(occupant, from, presence);
        }
        else
        {
            await ChangeNickAsync(occupant, presence, from, occupantJid).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A session is gone (session ended, sink reported it unreachable, presence error): it
    /// leaves silently — only the others are told (XEP-0045 §7.14 without the self-presence).
    /// </summary>
    public async ValueTask SessionGoneAsync(Jid session)
    {
        if (room.State.FindBySession(session) is not { } occupant) return;
        if (occupant.Sessions.Count > 1)
        {
            var wasPrimary = occupant.Primary.RealJid == session;
            room.State.RemoveSession(occupant, session);
            if (wasPrimary) room.Presence.BroadcastToOthers(occupant, PresenceEvent.Available);
        }
        else
        {
            room.State.RemoveOccupant(occupant);
            room.Presence.BroadcastToOthers(occupant, PresenceEvent.Unavailable);
        }
        await room.Host.Occupancy.RemoveAsync(room.RoomJid.ToString(), session.ToString()).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends every occupant its unavailable self-presence and empties the room (the room is
    /// ending). XEP-0045 §10.9: only the occupant itself is told, and the presence carries
    /// &lt;destroy/&gt; (with the owner's alternate venue and reason, if any).
    /// </summary>
    public async ValueTask EvictAllAsync()
    {
        var ev = new PresenceEvent { IsUnavailable = true, Destroy = room.DestroyNotice ?? new XElement(MucUser + "destroy") };
        var occupants = room.State.Occupants.ToArray();
        foreach (var occupant in occupants)
        {
            room.Presence.SendSelf(occupant, ev);
            room.State.RemoveOccupant(occupant);
        }
        await room.Host.Occupancy.RemoveRoomAsync(room.RoomJid.ToString()).ConfigureAwait(false);
    }

    private async ValueTask JoinAsync(XElement presence, Jid from, Jid to)
    {
        var state = room.State;
        var bare = from.Bare;
        var creates = state.AwaitingCreator;
        var affiliation = creates ? Affiliation.Owner : state.AffiliationOf(bare);
        var holder = state.FindByNick(to.Resource!);
        var join = new JoinRequest(from, to, presence, presence.Element(Muc + "x"), affiliation, creates)
        {
            // XEP-0045 §7.2: several sessions of one user may share a nick.
            JoinsExisting = holder is not null && holder.BareJid == bare ? holder : null,
            IsServerAdmin = room.Host.IsServerAdmin(bare),
        };
        if (room.Features.CheckJoin(room, join) is { } error)
        {
            room.Output.SendError(presence, from, to, error);
            return;
        }
        // Issue 5, Muc:RoomPresencesPerSecond: counted only for entries that passed the room's rules,
        // so outsiders knocking on a members-only door cannot keep members out.
        if (room.Limits.CheckRoomPresence(room.Now) is { } busy)
        {
            room.Output.SendError(presence, from, to, busy);
            return;
        }
        // Issue 5, Muc:MaxRoomsJoinedPerUser: checked last, so a refused entry (banned, wrong
        // password…) gets its own error and is never counted. resource-constraint with
        // ejabberd's wording (mod_muc_room, max_user_conferences); Prosody has no such limit.
        if (!room.Host.TryEnterRoom(bare, room.RoomJid))
        {
            room.Output.SendError(presence, from, to, StanzaError.ResourceConstraint("You have joined too many rooms."));
            return;
        }

        if (creates)
        {
            // XEP-0045 §10.1.1: the creator is the owner. A MUC client gets a locked room that
            // waits for configuration (§10.1.2); a gc-1.0 client, which cannot configure, an
            // instant room (§7.1.1 / §10.1.1: "the service MAY create an instant room").
            state.AwaitingCreator = false;
            state.Affiliations[bare] = new AffiliationEntry(Affiliation.Owner);
            state.Locked = join.MucX is not null;
            room.MarkDirty();
        }

        Occupant occupant;
        if (join.JoinsExisting is { } existing)
        {
            occupant = existing;
            state.SetSession(occupant, from, presence);
        }
        else
        {
            occupant = new Occupant(to, bare, state.OccupantIdFor(bare), room.Features.DefaultRole(room, affiliation), affiliation, room.Now);
            occupant.SetSession(from, presence);
            state.AddOccupant(occupant);
        }

        // XEP-0045 §7.2.3: existing occupants first, then the newcomer to the others, then the
        // newcomer's own presence (110 …), then history (§7.2.14), then the subject (§7.2.15).
        room.Presence.SendOccupantList(occupant, from);
        room.Presence.BroadcastToOthers(occupant, PresenceEvent.Available);
        var codes = new List<int>(4);
        if (creates) codes.Add(201);
        room.Features.AddJoinStatusCodes(room, join, codes);
        room.Presence.SendSelf(occupant, new PresenceEvent { SelfCodes = [.. codes] }, from);
        room.Features.OnJoined(room, occupant, join);

        await room.Host.Occupancy.SetAsync(Entry(occupant, from)).ConfigureAwait(false);
    }

    private void UpdatePresence(Occupant occupant, Jid from, XElement presence)
    {
        // XEP-0045 §7.7: a changed availability status goes to every occupant.
        room.State.SetSession(occupant, from, presence);
        room.Presence.Broadcast(occupant, PresenceEvent.Available);
    }

    private async ValueTask ChangeNickAsync(Occupant occupant, XElement presence, Jid from, Jid to)
    {
        if (occupant.Sessions.Count > 1)
        {
            // The nick belongs to every session of the occupant; moving them all on one session's
            // word would surprise the others, so the user must leave with the other sessions first.
            room.Output.SendError(presence, from, to, StanzaError.NotAcceptable("Cannot change nickname while joined from several sessions."));
            return;
        }
        if (room.Features.CheckNickChange(room, occupant, to) is { } error)
        {
            room.Output.SendError(presence, from, to, error);
            return;
        }

        // XEP-0045 §7.6.2: unavailable from the old nick with 303 and the new nick, to everyone
        // (the occupant's own copy with 110), then available from the new nick.
        room.Presence.Broadcast(occupant, new PresenceEvent { IsUnavailable = true, Codes = [303], NewNick = to.Resource });
        room.State.Rename(occupant, to);
        room.State.SetSession(occupant, from, presence);
        room.Presence.Broadcast(occupant, PresenceEvent.Available);

        await room.Host.Occupancy.SetAsync(Entry(occupant, from)).ConfigureAwait(false);
    }

    private async ValueTask LeaveAsync(Occupant occupant, Jid session, XElement presence)
    {
        // XEP-0045 §7.14: unavailable presence, with the user's status text, to all; 110 to the leaver.
        var ev = new PresenceEvent { IsUnavailable = true, Source = presence };
        if (occupant.Sessions.Count > 1)
        {
            // One of several sessions leaves: only it is told; the others stay in the room.
            room.Presence.SendSelf(occupant, ev, session);
            var wasPrimary = occupant.Primary.RealJid == session;
            room.State.RemoveSession(occupant, session);
            if (wasPrimary) room.Presence.BroadcastToOthers(occupant, PresenceEvent.Available);
        }
        else
        {
            room.State.RemoveOccupant(occupant);
            room.Presence.BroadcastToOthers(occupant, ev);
            room.Presence.SendSelf(occupant, ev, session);
        }
        await room.Host.Occupancy.RemoveAsync(room.RoomJid.ToString(), session.ToString()).ConfigureAwait(false);
    }

    /// <summary>Applies occupancy writes that hooks queued (see <see cref="RoomContext.Evict"/>).</summary>
    public async ValueTask ApplyOccupancyChangesAsync()
    {
        while (room.TakeOccupancyChanges() is { } changes)
        {
            foreach (var (session, occupant) in changes)
            {
                if (occupant is null)
                {
                    await room.Host.Occupancy.RemoveAsync(room.RoomJid.ToString(), session.ToString()).ConfigureAwait(false);
                }
                else if (room.State.FindBySession(session) == occupant)
                {
                    await room.Host.Occupancy.SetAsync(Entry(occupant, session)).ConfigureAwait(false);
                }
            }
        }
    }

    private OccupantEntry Entry(Occupant occupant, Jid session) => new(
        room.RoomJid.ToString(),
        occupant.Nick,
        session.ToString(),
        room.Host.NodeId,
        occupant.Role.ToXmlName(),
        occupant.Affiliation.ToXmlName(),
        occupant.JoinedAt);
}
