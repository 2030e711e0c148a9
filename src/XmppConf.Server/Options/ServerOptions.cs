namespace XmppConf.Server.Options;

/// <summary>The "Server" section: identity of this server and where it keeps its files.</summary>
public sealed class ServerOptions
{
    public const string Section = "Server";

    /// <summary>The XMPP domain served (RFC 7622 domainpart), e.g. "localhost" or "example.org".</summary>
    public string Domain { get; set; } = "localhost";

    /// <summary>Identifies this node among several sharing one Redis; defaults to a name made at start.</summary>
    public string? NodeId { get; set; }

    /// <summary>Directory for the embedded store (SQLite file); created on first run.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Bare JIDs with administrator rights.</summary>
    public List<string> Admins { get; set; } = [];

    /// <summary>Address the client-to-server listeners bind to ("0.0.0.0", "::", "127.0.0.1").</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>Client-to-server port with STARTTLS (RFC 6120). 0 disables the listener.</summary>
    public int C2sPort { get; set; } = 5222;

    /// <summary>Direct TLS port (XEP-0368). 0 disables the listener.</summary>
    public int DirectTlsPort { get; set; } = 5223;

    /// <summary>What happens when a client binds a resource that is already online.</summary>
    public ResourceConflictPolicy ResourceConflict { get; set; } = ResourceConflictPolicy.KickOld;
}

/// <summary>RFC 6120 §7.7.2.2 leaves the choice to the server; Prosody and ejabberd default to kicking the old session.</summary>
public enum ResourceConflictPolicy
{
    /// <summary>Close the existing session with a &lt;conflict/&gt; stream error and bind the new one.</summary>
    KickOld,
    /// <summary>Refuse the new bind with a &lt;conflict/&gt; stanza error.</summary>
    RefuseNew,
    /// <summary>Bind the new session under a server-chosen resource.</summary>
    Rename,
}
