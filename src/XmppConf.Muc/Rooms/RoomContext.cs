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

    /// <summary>Set when persisted data (config, affiliations, subject) changed; the actor saves a persistent room.</summary>
    public bool Dirty { get; private set; }

    /// <summary>Set when the room must end now (destroyed, or a new room's creation cancelled).</summary>
    public bool DestroyRequested { get; private set; }

    /// <summary>
    /// The muc#user &lt;destroy/&gt; (alternate venue, reason, password) each occupant's final
    /// presence carries when the room ends (XEP-0045 §10.9); null for a bare &lt;destroy/&gt;.
    /// </summary>
    public System.Xml.Linq.XElement? DestroyNotice { get; private set; }

    public void MarkDirty() => Dirty = true;

    public void ClearDirty() => Dirty = false;

    public void RequestDestroy(System.Xml.Linq.XElement? notice = null)
    {
        DestroyRequested = true;
        DestroyNotice = notice;
    }

    private List<(Occupant Occupant, bool Removed)>? _occupancyChanges;

    /// <summary>
    /// Removes an occupant the room itself sends away (kick, ban, lost membership). The occupancy
    /// table is updated by the actor after the stanza: its port is async, hooks are not.
    /// </summary>
    public void RemoveOccupant(Occupant occupant)
    {
        State.RemoveOccupant(occupant);
        (_occupancyChanges ??= []).Add((occupant, true));
    }

    /// <summary>Notes that an occupant's role or affiliation changed, so the occupancy table is rewritten after the stanza.</summary>
    public void NoteOccupantChanged(Occupant occupant) => (_occupancyChanges ??= []).Add((occupant, false));

    /// <summary>The removals and changes noted since the last call, in order; null when none.</summary>
    public List<(Occupant Occupant, bool Removed)>? TakeOccupancyChanges()
    {
        var changes = _occupancyChanges;
        _occupancyChanges = null;
        return changes;
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
