namespace XmppConf.Server.Sessions;

/// <summary>Where a client stream is in RFC 6120 negotiation.</summary>
internal enum StreamState
{
    /// <summary>TCP (or direct TLS) is up; stream header and features exchanged, no TLS/auth yet.</summary>
    Connected,
    /// <summary>&lt;starttls/&gt; accepted; the TLS handshake follows.</summary>
    TlsRequested,
    /// <summary>SASL succeeded; the client must restart the stream and bind a resource.</summary>
    Authenticated,
    /// <summary>A resource is bound: the session is routable.</summary>
    Bound,
}
