using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Throttling;
using XmppConf.Muc.Service;

namespace XmppConf.Muc.Rooms;

/// <summary>
/// The room's flood limits (issue 5, docs/security.md "Room limits"): a message and a presence
/// token bucket per user (bare JID, so a user's sessions share them and leaving and re-entering
/// does not refill them), and one groupchat bucket for the whole room. Live state of the actor:
/// used only on the room's loop, so no locks. Over a limit the caller bounces the stanza with a
/// wait-type resource-constraint and relays nothing (Prosody's mod_muc_limits answers
/// wait/policy-violation instead; resource-constraint is RFC 6120's "try again later" and what
/// this service already answers for a full mailbox). Nobody is disconnected.
/// Buckets of users who left are forgotten once refilled, so the table stays near the
/// room's size however many users come and go.
/// </summary>
internal sealed class RoomRateLimits(MucOptions options)
{
    private readonly Dictionary<Jid, UserBuckets> _users = [];
    private TokenBucket? _roomMessages;
    private TokenBucket? _roomPresences;

    private sealed class UserBuckets
    {
        public TokenBucket? Messages;
        public TokenBucket? Presences;
    }

    /// <summary>Number of users with buckets (tests: the table is pruned).</summary>
    public int TrackedUsers => _users.Count;

    /// <summary>Counts a message (of any kind) from <paramref name="bareJid"/> to or through the room; null when within the limit.</summary>
    public StanzaError? CheckMessage(RoomState state, Jid bareJid, DateTimeOffset now) => CheckMessages(state, bareJid, 1, now);

    /// <summary>Counts <paramref name="count"/> messages at once (all or none: a mediated invitation to several people); null when within the limit.</summary>
    public StanzaError? CheckMessages(RoomState state, Jid bareJid, int count, DateTimeOffset now)
    {
        var perSecond = options.OccupantMessagesPerSecond;
        if (perSecond <= 0) return null;
        var buckets = BucketsOf(state, bareJid, now);
        buckets.Messages ??= new TokenBucket(perSecond, options.OccupantMessageBurst, now.UtcTicks);
        return buckets.Messages.TryTake(now.UtcTicks, count)
            ? null
            : StanzaError.ResourceConstraint("You are sending messages too fast; wait a moment and try again.");
    }

    /// <summary>
    /// Counts a groupchat message the room is about to relay (the sender passed every other
    /// check, so visitors and non-occupants cannot use up the room's rate); null when within it.
    /// Burst: one second's worth.
    /// </summary>
    public StanzaError? CheckRoomGroupchat(DateTimeOffset now)
    {
        var perSecond = options.RoomMessagesPerSecond;
        if (perSecond <= 0) return null;
        _roomMessages ??= new TokenBucket(perSecond, perSecond, now.UtcTicks);
        return _roomMessages.TryTake(now.UtcTicks)
            ? null
            : StanzaError.ResourceConstraint("The room is too busy right now; wait a moment and try again.");
    }

    /// <summary>
    /// Counts a presence the room is about to broadcast (an entry that passed every entry rule, a
    /// status update or nick change of an occupant), so outsiders refused at the door cannot use up
    /// the room's rate; null when within it. Each one is copied to every occupant, so this bounds
    /// the room's presence fan-out. Burst: one second's worth.
    /// </summary>
    public StanzaError? CheckRoomPresence(DateTimeOffset now)
    {
        var perSecond = options.RoomPresencesPerSecond;
        if (perSecond <= 0) return null;
        _roomPresences ??= new TokenBucket(perSecond, perSecond, now.UtcTicks);
        return _roomPresences.TryTake(now.UtcTicks)
            ? null
            : StanzaError.ResourceConstraint("Too many people are entering or changing presence in this room right now; wait a moment and try again.");
    }

    /// <summary>Counts an available presence (entry, status, nick change) from <paramref name="bareJid"/>; null when within the limit.</summary>
    public StanzaError? CheckPresence(RoomState state, Jid bareJid, DateTimeOffset now)
    {
        var perSecond = options.OccupantPresencesPerSecond;
        if (perSecond <= 0) return null;
        var buckets = BucketsOf(state, bareJid, now);
        buckets.Presences ??= new TokenBucket(perSecond, options.OccupantPresenceBurst, now.UtcTicks);
        return buckets.Presences.TryTake(now.UtcTicks)
            ? null
            : StanzaError.ResourceConstraint("You are changing presence too fast; wait a moment and try again.");
    }

    private UserBuckets BucketsOf(RoomState state, Jid bareJid, DateTimeOffset now)
    {
        if (_users.TryGetValue(bareJid, out var buckets)) return buckets;
        // Prune before growing past twice the room's size: drop refilled buckets of users who
        // are not in the room (a full bucket is what a new one would be, so nothing is lost).
        if (_users.Count >= 2 * state.OccupantCount + 64) Prune(state, now);
        buckets = new UserBuckets();
        _users.Add(bareJid, buckets);
        return buckets;
    }

    private void Prune(RoomState state, DateTimeOffset now)
    {
        var present = new HashSet<Jid>();
        foreach (var occupant in state.Occupants) present.Add(occupant.BareJid);
        List<Jid>? idle = null;
        foreach (var (jid, buckets) in _users)
        {
            if (present.Contains(jid)) continue;
            if ((buckets.Messages?.IsFull(now.UtcTicks) ?? true) && (buckets.Presences?.IsFull(now.UtcTicks) ?? true))
            {
                (idle ??= []).Add(jid);
            }
        }
        if (idle is null) return;
        foreach (var jid in idle) _users.Remove(jid);
    }
}
