namespace XmppConf.Server.Options;

/// <summary>The "Tls" section.</summary>
public sealed class TlsOptions
{
    public const string Section = "Tls";

    /// <summary>PKCS#12 (.pfx) file with the server certificate and key. Empty: a self-signed one is made under certs/.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of the .pfx file, if any.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Where a self-signed certificate is created when CertificatePath is empty.</summary>
    public string SelfSignedPath { get; set; } = "certs/xmppconf-selfsigned.pfx";

    /// <summary>Refuse authentication and stanzas until STARTTLS has been negotiated (RFC 6120 §5.3.1 mandatory-to-negotiate).</summary>
    public bool RequireStartTls { get; set; } = true;

    /// <summary>Offer SASL PLAIN on unencrypted streams. Off by default: PLAIN sends the password in clear.</summary>
    public bool AllowPlainWithoutTls { get; set; }

    /// <summary>Seconds a TLS handshake may take before the connection is closed.</summary>
    public int HandshakeTimeoutSeconds { get; set; } = 10;
}
