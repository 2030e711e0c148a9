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
}
