using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Muc.Service;

namespace XmppConf.Muc.Rooms;

/// <summary>
/// One occupant of a room (XEP-0045 §5): a nick held by one user (bare JID), joined from one or
/// more sessions (XEP-0045 §7.2: a service MAY let several resources of one user share a nick).
/// Owned and changed only by the room actor.
/// </summary>
internal sealed class Occupant
{
    private readonly List<OccupantSession> _sessions = new(1);

    internal Occupant(Jid occupantJid, Jid bareJid, string occupantId, Role role, Affiliation affiliation, DateTimeOffset joinedAt)
    {
        _occupantJid = occupantJid;
        NickKey = Nickname.ComparisonKey(occupantJid.Resource!);
        BareJid = bareJid;
        OccupantId = occupantId;
        _role = role;
        _affiliation = affiliation;
        JoinedAt = joinedAt;
    }

    private Jid _occupantJid;
    private Role _role;
    private Affiliation _affiliation;

    /// <summary>room@service/nick, the occupant's address in the room.</summary>
    public Jid OccupantJid
    {
        get => _occupantJid;
        internal set
        {
            _occupantJid = value;
            NickKey = Nickname.ComparisonKey(value.Resource!);
            InvalidatePresence();
        }
    }

    /// <summary>The nick (resourcepart of <see cref="OccupantJid"/>).</summary>
    public string Nick => OccupantJid.Resource!;

    /// <summary>The nick's RFC 8266 comparison key: two nicks with one key are the same nick.</summary>
    public string NickKey { get; private set; }

    /// <summary>The user's real bare JID.</summary>
    public Jid BareJid { get; }

    /// <summary>XEP-0421 occupant id: stable for this user in this room, reveals nothing about the real JID.</summary>
    public string OccupantId { get; }

    public Role Role
    {
        get => _role;
        internal set { _role = value; InvalidatePresence(); }
    }

    public Affiliation Affiliation
    {
        get => _affiliation;
        internal set { _affiliation = value; InvalidatePresence(); }
    }

    /// <summary>
    /// The occupant's current available presence as others see it, without and with the real JID
    /// (index 0 and 1), built once and reused for every newcomer until something shown changes.
    /// Owned by <see cref="PresenceBroadcaster"/>.
    /// </summary>
    internal BroadcastStanza?[] PresenceCache { get; } = new BroadcastStanza?[2];

    internal void InvalidatePresence()
    {
        PresenceCache[0] = null;
        PresenceCache[1] = null;
    }

    public DateTimeOffset JoinedAt { get; }

    /// <summary>When this occupant last asked the moderators for voice (XEP-0045 §7.13), to space such requests out.</summary>
    public DateTimeOffset? LastVoiceRequest { get; set; }

    /// <summary>The sessions joined under this nick, oldest first; never empty while the occupant is in the room.</summary>
    public IReadOnlyList<OccupantSession> Sessions => _sessions;

    /// <summary>The session whose presence the room shows for this occupant: the most recently updated.</summary>
    public OccupantSession Primary => _sessions[^1];

    /// <summary>The presence the room shows for this occupant (the client's own payload, no MUC extension).</summary>
    public XElement Presence => Primary.Presence;

    internal OccupantSession? FindSession(Jid realJid)
    {
        foreach (var session in _sessions)
        {
            if (session.RealJid == realJid) return session;
        }
        return null;
    }

    /// <summary>Adds or refreshes a session and makes it the primary one.</summary>
    internal OccupantSession SetSession(Jid realJid, XElement presence)
    {
        for (var i = 0; i < _sessions.Count; i++)
        {
            if (_sessions[i].RealJid == realJid)
            {
                _sessions.RemoveAt(i);
                break;
            }
        }
        var session = new OccupantSession(realJid, presence);
        _sessions.Add(session);
        InvalidatePresence();
        return session;
    }

    internal bool RemoveSession(Jid realJid)
    {
        for (var i = 0; i < _sessions.Count; i++)
        {
            if (_sessions[i].RealJid == realJid)
            {
                _sessions.RemoveAt(i);
                InvalidatePresence();
                return true;
            }
        }
        return false;
    }
}

/// <summary>One session of an occupant: the real full JID and the presence it last sent to the room.</summary>
internal sealed record OccupantSession(Jid RealJid, XElement Presence);
