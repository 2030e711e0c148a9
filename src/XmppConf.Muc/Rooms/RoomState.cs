using System.Security.Cryptography;
using System.Text;
using XmppConf.Core.Addressing;

namespace XmppConf.Muc.Rooms;

/// <summary>
/// Everything a room knows: persisted configuration, affiliations and subject, and live
/// occupants and history. Touched only by the room's actor (XmppConf STYLE §2), so it has no
/// locks. Occupants keep join order, which is the order presences go out in.
/// </summary>
internal sealed class RoomState
{
    private readonly List<Occupant> _occupants = [];
    /// <summary>Occupants by nick comparison key (RFC 8266 §2.4: "Bob" and "BOB" are one nick).</summary>
    private readonly Dictionary<string, Occupant> _byNick = new(StringComparer.Ordinal);
    private readonly Dictionary<Jid, Occupant> _bySession = [];
    private readonly byte[] _occupantIdSalt;

    public RoomState(Jid roomJid, RoomConfig config, DateTimeOffset createdAt, byte[] occupantIdSalt)
    {
        RoomJid = roomJid;
        Config = config;
        CreatedAt = createdAt;
        _occupantIdSalt = occupantIdSalt;
    }

    /// <summary>The bare room JID.</summary>
    public Jid RoomJid { get; }

    public RoomConfig Config { get; set; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>XEP-0045 §10.1.2: a new room stays locked until its owner configures it; only owners may enter.</summary>
    public bool Locked { get; set; }

    /// <summary>
    /// The room password in clear, known only if an owner set it since this node activated the
    /// room; never persisted (the config keeps a hash). Mediated invitations carry it when known.
    /// </summary>
    public string? ClearPassword { get; set; }

    /// <summary>Created by this activation and not entered yet: its first entrant is its creator and owner (§10.1.1).</summary>
    public bool AwaitingCreator { get; set; }

    /// <summary>The secret mixed into XEP-0421 occupant ids; persisted so ids survive a restart.</summary>
    public ReadOnlySpan<byte> OccupantIdSalt => _occupantIdSalt;

    public RoomSubject? Subject { get; set; }

    /// <summary>Affiliations by bare JID; users not listed have <see cref="Affiliation.None"/>.</summary>
    public Dictionary<Jid, AffiliationEntry> Affiliations { get; } = [];

    /// <summary>Discussion history, oldest first, at most <see cref="RoomConfig.HistoryLength"/> entries.</summary>
    public Queue<HistoryEntry> History { get; } = new();

    /// <summary>Occupants in join order.</summary>
    public IReadOnlyList<Occupant> Occupants => _occupants;

    public int OccupantCount => _occupants.Count;

    public bool IsEmpty => _occupants.Count == 0;

    public Affiliation AffiliationOf(Jid bareJid) =>
        Affiliations.TryGetValue(bareJid, out var entry) ? entry.Affiliation : Affiliation.None;

    /// <summary>The occupant holding <paramref name="nick"/> or a nick equal to it under RFC 8266 comparison.</summary>
    public Occupant? FindByNick(string nick) => _byNick.GetValueOrDefault(Nickname.ComparisonKey(nick));

    /// <summary>The occupant a session (real full JID) is joined as, or null.</summary>
    public Occupant? FindBySession(Jid realJid) => _bySession.GetValueOrDefault(realJid);

    /// <summary>Any occupant the user (bare JID) is joined as, or null.</summary>
    public Occupant? FindByBareJid(Jid bareJid)
    {
        foreach (var occupant in _occupants)
        {
            if (occupant.BareJid == bareJid) return occupant;
        }
        return null;
    }

    public void AddOccupant(Occupant occupant)
    {
        _occupants.Add(occupant);
        _byNick.Add(occupant.NickKey, occupant);
        foreach (var session in occupant.Sessions)
        {
            _bySession[session.RealJid] = occupant;
        }
    }

    /// <summary>
    /// Called after an occupant left the room by any path (leave, kick, ban, destroy, session
    /// end); the room context keeps the service's per-user room count (Muc:MaxRoomsJoinedPerUser) with it.
    /// </summary>
    public Action<Occupant>? OccupantRemoved { get; set; }

    public void RemoveOccupant(Occupant occupant)
    {
        if (!_occupants.Remove(occupant)) return;
        _byNick.Remove(occupant.NickKey);
        foreach (var session in occupant.Sessions)
        {
            _bySession.Remove(session.RealJid);
        }
        OccupantRemoved?.Invoke(occupant);
    }

    /// <summary>Adds or refreshes one session of an occupant already in the room.</summary>
    public OccupantSession SetSession(Occupant occupant, Jid realJid, System.Xml.Linq.XElement presence)
    {
        _bySession[realJid] = occupant;
        return occupant.SetSession(realJid, presence);
    }

    /// <summary>Removes one session; the occupant stays while it has others.</summary>
    public void RemoveSession(Occupant occupant, Jid realJid)
    {
        occupant.RemoveSession(realJid);
        _bySession.Remove(realJid);
    }

    /// <summary>Moves an occupant to a new nick (XEP-0045 §7.6).</summary>
    public void Rename(Occupant occupant, Jid newOccupantJid)
    {
        _byNick.Remove(occupant.NickKey);
        occupant.OccupantJid = newOccupantJid;
        _byNick.Add(occupant.NickKey, occupant);
    }

    /// <summary>
    /// XEP-0421 §3: the occupant id is stable per real bare JID and room and must not reveal the
    /// JID: an HMAC of both under the room's secret salt.
    /// </summary>
    public string OccupantIdFor(Jid bareJid)
    {
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(_occupantIdSalt, Encoding.UTF8.GetBytes(RoomJid + "\n" + bareJid), hash);
        return Convert.ToBase64String(hash[..18]);
    }

    /// <summary>A fresh random salt for <see cref="OccupantIdFor"/>.</summary>
    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(32);
}
