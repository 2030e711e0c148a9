namespace XmppConf.Muc.Service;

/// <summary>Settings of the XEP-0045 service (configuration section "Muc").</summary>
public sealed class MucOptions
{
    /// <summary>The service lives at Subdomain + "." + server domain.</summary>
    public string Subdomain { get; set; } = "conference";

    /// <summary>Who may create rooms.</summary>
    public RoomCreationPolicy RoomCreation { get; set; } = RoomCreationPolicy.LocalUsers;

    /// <summary>History length of a new room (muc#roomconfig_historylength default).</summary>
    public int DefaultHistoryLength { get; set; } = 20;

    /// <summary>The largest history length an owner may configure.</summary>
    public int MaxHistoryLength { get; set; } = 100;

    /// <summary>muc#roomconfig_maxusers of a new room.</summary>
    public int DefaultMaxUsers { get; set; } = 25;

    /// <summary>The largest muc#roomconfig_maxusers an owner may configure; also the cap of rooms set to "no limit".</summary>
    public int MaxUsersLimit { get; set; } = 1000;

    /// <summary>Stanzas a room's mailbox holds before senders get resource-constraint.</summary>
    public int RoomMailboxCapacity { get; set; } = 1024;

    /// <summary>The most rooms active in memory at once; creating another gets resource-constraint. 0 = no limit.</summary>
    public int MaxRoomsPerService { get; set; } = 10000;

    /// <summary>disco#items page size when the request has no RSM &lt;max/&gt; (XEP-0059).</summary>
    public int DiscoItemsPageSize { get; set; } = 100;

    /// <summary>Name of the service in its disco#info identity.</summary>
    public string ServiceName { get; set; } = "Chatrooms";

    // ---- Room limits (docs/security.md "Room limits"). Over a limit the stanza is bounced with
    // a wait-type resource-constraint, never relayed, and the sender stays connected. Defaults
    // sit well above what a person typing or pasting, or an ordinary bot, ever sends. ----

    /// <summary>Messages one user may send to or through one room per second, sustained; 0 = no limit.</summary>
    public double OccupantMessagesPerSecond { get; set; } = 5;

    /// <summary>Messages one user may send to one room at once before the sustained rate applies (a pasted block).</summary>
    public int OccupantMessageBurst { get; set; } = 30;

    /// <summary>Available presences (entries, status and nick changes) one user may send to one room per second; 0 = no limit.</summary>
    public double OccupantPresencesPerSecond { get; set; } = 1;

    /// <summary>Presences one user may send to one room at once before the sustained rate applies.</summary>
    public int OccupantPresenceBurst { get; set; } = 15;

    /// <summary>Groupchat messages one room relays per second from all its occupants together (burst: one second's worth); 0 = no limit.</summary>
    public double RoomMessagesPerSecond { get; set; } = 200;

    /// <summary>Presences (entries, status updates, nick changes) one room broadcasts per second from all its occupants together (burst: one second's worth); 0 = no limit.</summary>
    public double RoomPresencesPerSecond { get; set; } = 250;

    /// <summary>Rooms one user may create per hour (a bucket of this many, refilling over the hour); 0 = no limit. Server admins are exempt.</summary>
    public int RoomCreationsPerUserPerHour { get; set; } = 60;

    /// <summary>Rooms one user (bare JID) may be in at once on this node; 0 = no limit. Server admins are exempt.</summary>
    public int MaxRoomsJoinedPerUser { get; set; } = 100;

    /// <summary>Longest nickname, in Unicode code points after the RFC 8266 nickname profile.</summary>
    public int MaxNickLength { get; set; } = 64;

    /// <summary>What is wrong with these settings, for the host's start-up validation; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Subdomain) || Subdomain.Contains('@') || Subdomain.Contains('/'))
        {
            errors.Add("Muc:Subdomain must be a plain DNS label, e.g. \"conference\".");
        }
        if (DefaultHistoryLength < 0 || MaxHistoryLength < 0) errors.Add("Muc history lengths must not be negative.");
        if (DefaultHistoryLength > MaxHistoryLength) errors.Add("Muc:DefaultHistoryLength must not exceed Muc:MaxHistoryLength.");
        if (MaxUsersLimit < 1) errors.Add("Muc:MaxUsersLimit must be at least 1.");
        if (DefaultMaxUsers < 0 || DefaultMaxUsers > MaxUsersLimit) errors.Add("Muc:DefaultMaxUsers must be between 0 (no limit) and Muc:MaxUsersLimit.");
        if (RoomMailboxCapacity < 1) errors.Add("Muc:RoomMailboxCapacity must be at least 1.");
        if (MaxRoomsPerService < 0) errors.Add("Muc:MaxRoomsPerService must not be negative (0 = no limit).");
        if (DiscoItemsPageSize < 1) errors.Add("Muc:DiscoItemsPageSize must be at least 1.");
        if (!(OccupantMessagesPerSecond >= 0) || !(OccupantPresencesPerSecond >= 0) || !(RoomMessagesPerSecond >= 0) || !(RoomPresencesPerSecond >= 0)
            || double.IsInfinity(OccupantMessagesPerSecond) || double.IsInfinity(OccupantPresencesPerSecond) || double.IsInfinity(RoomMessagesPerSecond)
            || double.IsInfinity(RoomPresencesPerSecond))
        {
            errors.Add("Muc rates (OccupantMessagesPerSecond, OccupantPresencesPerSecond, RoomMessagesPerSecond, RoomPresencesPerSecond) must be finite and not negative (0 = no limit).");
        }
        if (OccupantMessageBurst < 1 || OccupantPresenceBurst < 1) errors.Add("Muc:OccupantMessageBurst and Muc:OccupantPresenceBurst must be at least 1.");
        if (RoomCreationsPerUserPerHour < 0) errors.Add("Muc:RoomCreationsPerUserPerHour must not be negative (0 = no limit).");
        if (MaxRoomsJoinedPerUser < 0) errors.Add("Muc:MaxRoomsJoinedPerUser must not be negative (0 = no limit).");
        if (MaxNickLength is < 1 or > 1023) errors.Add("Muc:MaxNickLength must be between 1 and 1023.");
        return errors;
    }
}
