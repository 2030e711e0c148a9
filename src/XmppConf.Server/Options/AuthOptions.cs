namespace XmppConf.Server.Options;

/// <summary>The "Auth" section.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>PBKDF2 iterations used when a password is set (RFC 7677 asks for at least 4096).</summary>
    public int ScramIterations { get; set; } = 4096;

    /// <summary>SASL mechanisms offered, strongest first.</summary>
    public List<string> Mechanisms { get; set; } = ["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"];

    /// <summary>Failed SASL attempts allowed on one stream before it is closed with policy-violation.</summary>
    public int MaxFailuresPerStream { get; set; } = 5;

    /// <summary>Failed SASL attempts from one IP address, across streams, that ban the address (like ejabberd's mod_fail2ban); 0 = never ban.</summary>
    public int FailedAuthBanThreshold { get; set; } = 20;

    /// <summary>How long a ban lasts, and the window in which failures are counted towards one.</summary>
    public int FailedAuthBanSeconds { get; set; } = 3600;
}
