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
        return errors;
    }
}
