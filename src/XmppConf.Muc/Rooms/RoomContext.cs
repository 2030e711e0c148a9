using XmppConf.Core.Addressing;
using XmppConf.Muc.Features;
using XmppConf.Muc.Service;

namespace XmppConf.Muc.Rooms;

/// <summary>
/// What handlers and features see of a room while the actor handles one message: its state,
/// its features, its output and host, and flags the actor acts on afterwards. Created once per
/// actor; used only on the actor's loop.
/// </summary>
internal sealed class RoomContext
{
    public RoomContext(RoomState state, FeatureSet features, IRoomHost host)
    {
        State = state;
        Features = features;
        Host = host;
        Output = new RoomOutput(host.Sink);
        Presence = new PresenceBroadcaster(this);
        Limits = new RoomRateLimits(host.Options);
        state.OccupantRemoved = OnOccupantRemoved;
    }

    // A user may be in the room twice (two nicks); the room is left when the last one goes.
    private void OnOccupantRemoved(Occupant occupant)
    {
        if (State.FindByBareJid(occupant.BareJid) is null) Host.LeftRoom(occupant.BareJid, RoomJid);
    }

    public RoomState State { get; }

    public RoomConfig Config => State.Config;

    public Jid RoomJid => State.RoomJid;

    public FeatureSet Features { get; }

    public IRoomHost Host { get; }

    public MucOptions Options => Host.Options;

    public RoomOutput Output { get; }

    /// <summary>Builds and sends occupant presence (XEP-0045 §7.2.3 and friends).</summary>
    public PresenceBroadcaster Presence { get; }

    public DateTimeOffset Now => Host.Time.GetUtcNow();

    /// <summary>Per-user and per-room flood limits (live state, never persisted).</summary>
    public RoomRateLimits Limits { get; }

    /// <summary>Set when persisted data (config, affiliations, subject) changed; the actor saves a persistent room.</summary>
    public bool Dirty { get; private set; }

    /// <summary>Set when the room must end now (destroyed, or a new room's creation cancelled).</summary>
    public bool DestroyRequested { get; private set; }

    /// <summary>
    /// The muc#user &lt;destroy/&gt; (alternate venue, reason, password) each occupant's final
    /// presence carries when the room ends (XEP-0045 §10.9); null for a bare &lt;destroy/&gt;.
    /// </summary>
    public System.Xml.Linq.XElement? DestroyNotice { get; private set; }

    private List<(Jid Session, Occupant? Occupant)>? _occupancyChanges;

    public void MarkDirty() => Dirty = true;

    /// <summary>
    /// Removes an occupant by the room's decision (kick 307, ban 301, members-only 322…): its own
    /// sessions get <paramref name="ev"/> (unavailable, with its codes and 110) first, then every
    /// other occupant; it leaves the room, and the occupancy table is updated after the stanza.
    /// </summary>
    public void Evict(Occupant occupant, PresenceEvent ev)
    {
        // XEP-0045 §8.2, §9.1: the removed occupant is told first, then the remaining occupants.
        ev = ev with { IsUnavailable = true };
        Presence.SendSelf(occupant, ev);
        State.RemoveOccupant(occupant);
        Presence.BroadcastToOthers(occupant, ev);
        foreach (var session in occupant.Sessions)
        {
            (_occupancyChanges ??= []).Add((session.RealJid, null));
        }
    }

    /// <summary>Records the occupant's current nick, role and affiliation in the occupancy table after the stanza.</summary>
    public void QueueOccupancyUpdate(Occupant occupant)
    {
        foreach (var session in occupant.Sessions)
        {
            (_occupancyChanges ??= []).Add((session.RealJid, occupant));
        }
    }

    /// <summary>Occupancy table writes queued by hooks (which cannot await), for the actor to apply; null when none.</summary>
    public List<(Jid Session, Occupant? Occupant)>? TakeOccupancyChanges()
    {
        var changes = _occupancyChanges;
        _occupancyChanges = null;
        return changes;
    }

    public void ClearDirty() => Dirty = false;

    public void RequestDestroy(System.Xml.Linq.XElement? notice = null)
    {
        DestroyRequested = true;
        DestroyNotice = notice;
    }

    /// <summary>Sends one broadcast to every session of every occupant (groupchat reflection, XEP-0045 §7.4).</summary>
    public void SendToAll(BroadcastStanza broadcast)
    {
        foreach (var occupant in State.Occupants)
        {
            foreach (var session in occupant.Sessions)
            {
                Output.Send(broadcast, session.RealJid);
            }
        }
    }

    /// <summary>
    /// Gives every occupant of user <paramref name="bareJid"/> a new affiliation, with the role
    /// it implies (XEP-0045 §5.1.2), and announces their presence; a user who may no longer be
    /// in the room is removed (301, 321). See <see cref="OccupantChanges.ApplyToOccupants"/>.
    /// </summary>
    public void ApplyAffiliationToOccupants(Jid bareJid, Affiliation affiliation) =>
        OccupantChanges.ApplyToOccupants(this, bareJid, affiliation, null, null);

    /// <summary>True when <paramref name="viewer"/> may see occupants' real JIDs (XEP-0045 §7.2.3, whois).</summary>
    public bool CanSeeRealJids(Occupant viewer) =>
        Config.Whois == WhoisPolicy.Anyone || viewer.Role == Role.Moderator;
}
