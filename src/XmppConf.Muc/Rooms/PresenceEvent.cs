namespace XmppConf.Muc.Rooms;

/// <summary>
/// What an occupant presence announces beyond the occupant's current state: unavailability,
/// status codes every recipient sees (303 nick change, 307 kick, 301 ban…), status codes only
/// the occupant itself sees besides 110 (100, 201, 210, 170), the new nick of a nick change,
/// and the reason and actor of an admin action (XEP-0045 §8.2, §9.1).
/// </summary>
internal sealed record PresenceEvent
{
    public static readonly PresenceEvent Available = new();

    public static readonly PresenceEvent Unavailable = new() { IsUnavailable = true };

    public bool IsUnavailable { get; init; }

    public int[] Codes { get; init; } = [];

    public int[] SelfCodes { get; init; } = [];

    public string? NewNick { get; init; }

    public string? Reason { get; init; }

    public string? ActorNick { get; init; }

    /// <summary>The client presence whose payload (status, show…) to carry; null for the occupant's current one.</summary>
    public System.Xml.Linq.XElement? Source { get; init; }

    /// <summary>XEP-0045 §10.9: the muc#user &lt;destroy/&gt; of a room that is ending; the item then shows no affiliation.</summary>
    public System.Xml.Linq.XElement? Destroy { get; init; }

    /// <summary>Nothing beyond current state: the cached presence can be reused.</summary>
    public bool IsPlain => !IsUnavailable && Codes.Length == 0 && NewNick is null && Reason is null && ActorNick is null && Source is null && Destroy is null;
}
