namespace XmppConf.Server.Options;

/// <summary>The "Limits" section: every bound the server puts on a client.</summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Largest stanza in bytes before authentication.</summary>
    public int MaxStanzaBytesUnauthenticated { get; set; } = 10_000;

    /// <summary>Largest stanza in bytes once authenticated (advertised with XEP-0478).</summary>
    public int MaxStanzaBytes { get; set; } = 262_144;

    /// <summary>Deepest element nesting within one stanza.</summary>
    public int MaxStanzaDepth { get; set; } = 64;

    /// <summary>Most elements within one stanza.</summary>
    public int MaxStanzaElements { get; set; } = 25_000;

    /// <summary>
    /// New element and attribute names admitted, server-wide and for the life of the process, in the namespaces
    /// it holds for good (no namespace, jabber:client, …); beyond the built-in vocabulary. See XmlNameBudget.
    /// </summary>
    public int MaxDistinctXmlNames { get; set; } = XmppConf.Core.Xml.XmlNameBudget.DefaultCapacity;

    /// <summary>Seconds a connection may take to authenticate and bind.</summary>
    public int UnauthenticatedTimeoutSeconds { get; set; } = 60;

    /// <summary>Seconds without any traffic before the server pings an authenticated client (XEP-0199).</summary>
    public int IdleTimeoutSeconds { get; set; } = 300;

    /// <summary>Seconds the client has to answer that ping (or send anything) before the stream is closed.</summary>
    public int PingTimeoutSeconds { get; set; } = 30;

    /// <summary>Bytes queued for one connection that the client has not read; beyond this the session is closed.</summary>
    public int OutboundQueueBytes { get; set; } = 1_048_576;

    /// <summary>Offline messages kept per account; further ones are refused with service-unavailable.</summary>
    public int MaxOfflineMessages { get; set; } = 100;

    /// <summary>Entries in one user's roster.</summary>
    public int MaxRosterItems { get; set; } = 1000;

    /// <summary>Simultaneous sessions (resources) of one account.</summary>
    public int MaxResourcesPerAccount { get; set; } = 10;

    /// <summary>Open client connections on the whole server (all listeners); one more gets resource-constraint. 0 = no limit but the OS's.</summary>
    public int MaxConnections { get; set; } = 0;

    /// <summary>
    /// IPv6 clients are counted per network of this prefix length for every per-address limit (one
    /// subscriber usually holds a whole /64); 128 counts each IPv6 address on its own.
    /// </summary>
    public int Ipv6PrefixLength { get; set; } = 64;

    /// <summary>Open connections from one IP address (IPv6: one prefix, see Ipv6PrefixLength); 0 = no limit.</summary>
    public int MaxConnectionsPerIp { get; set; } = 50;

    /// <summary>New connections one IP address may open per minute (a token bucket of this size, refilled over a minute); 0 = no limit.</summary>
    public int MaxConnectionAttemptsPerIpPerMinute { get; set; } = 120;

    /// <summary>Sustained bytes per second read from one connection; beyond it the server stops reading for a while. 0 = no shaping.</summary>
    public int InboundBytesPerSecond { get; set; } = 32_768;

    /// <summary>Bytes one connection may send at once, above the sustained rate, after a quiet period.</summary>
    public int InboundBurstBytes { get; set; } = 262_144;
}
