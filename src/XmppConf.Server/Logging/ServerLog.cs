using Microsoft.Extensions.Logging;

namespace XmppConf.Server.Logging;

/// <summary>
/// Every log line the server writes, source-generated with stable event ids (STYLE rule 11).
/// Connection ids come from the logging scope; passwords and SASL payloads are never logged.
/// </summary>
internal static partial class ServerLog
{
    [LoggerMessage(1000, LogLevel.Information, "XmppConf serving {Domain} on {Endpoints} (node {NodeId}, store {Store})")]
    public static partial void Started(ILogger logger, string domain, string endpoints, string nodeId, string store);

    [LoggerMessage(1001, LogLevel.Information, "Loaded TLS certificate {Path}, SHA-256 fingerprint {Fingerprint}")]
    public static partial void CertificateLoaded(ILogger logger, string path, string fingerprint);

    [LoggerMessage(1002, LogLevel.Warning, "Created self-signed TLS certificate {Path} for {Domain}, SHA-256 fingerprint {Fingerprint}. Clients will ask to accept it; compare this fingerprint.")]
    public static partial void CertificateCreated(ILogger logger, string path, string domain, string fingerprint);

    [LoggerMessage(1100, LogLevel.Debug, "Connection from {RemoteEndPoint} (direct TLS: {Secure})")]
    public static partial void ConnectionOpened(ILogger logger, string remoteEndPoint, bool secure);

    [LoggerMessage(1101, LogLevel.Debug, "Connection closed ({Jid})")]
    public static partial void ConnectionClosed(ILogger logger, string? jid);

    [LoggerMessage(1102, LogLevel.Debug, "Connection lost: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string reason);

    [LoggerMessage(1103, LogLevel.Debug, "Peer closed the stream")]
    public static partial void StreamClosedByPeer(ILogger logger);

    [LoggerMessage(1104, LogLevel.Information, "Stream error sent: {Condition} {Text}")]
    public static partial void StreamError(ILogger logger, string condition, string? text);

    [LoggerMessage(1105, LogLevel.Information, "Peer sent stream error {Condition}")]
    public static partial void PeerStreamError(ILogger logger, string condition);

    [LoggerMessage(1106, LogLevel.Warning, "Closing session: {QueuedBytes} bytes queued for a client that does not read")]
    public static partial void OutboxOverflow(ILogger logger, long queuedBytes);

    [LoggerMessage(1107, LogLevel.Error, "Session failed")]
    public static partial void SessionCrashed(ILogger logger, Exception exception);

    [LoggerMessage(1108, LogLevel.Error, "Handling a {Kind} stanza failed; answered internal-server-error, the stream goes on")]
    public static partial void StanzaFailed(ILogger logger, string kind, Exception exception);

    [LoggerMessage(1200, LogLevel.Debug, "TLS established")]
    public static partial void TlsEstablished(ILogger logger);

    [LoggerMessage(1201, LogLevel.Information, "TLS handshake failed: {Reason}")]
    public static partial void TlsHandshakeFailed(ILogger logger, string reason);

    [LoggerMessage(1300, LogLevel.Information, "Authenticated {User} with {Mechanism}")]
    public static partial void Authenticated(ILogger logger, string user, string mechanism);

    [LoggerMessage(1301, LogLevel.Information, "Authentication failed: {Condition} (attempt {Attempt})")]
    public static partial void AuthenticationFailed(ILogger logger, string condition, int attempt);

    [LoggerMessage(1302, LogLevel.Information, "Bound {Jid}")]
    public static partial void Bound(ILogger logger, string jid);

    [LoggerMessage(1400, LogLevel.Warning, "Delivery to {Jid} failed")]
    public static partial void DeliveryFailed(ILogger logger, string jid, Exception exception);

    [LoggerMessage(1401, LogLevel.Warning, "Dropped an offline message for {Jid}: {Bytes} bytes never fit the outbound queue")]
    public static partial void OfflineMessageTooLarge(ILogger logger, string jid, int bytes);

    [LoggerMessage(1600, LogLevel.Warning, "XML name budget spent: {Capacity} new element/attribute names admitted in shared namespaces; stanzas bringing further new names are refused with policy-violation (Limits:MaxDistinctXmlNames)")]
    public static partial void XmlNameBudgetExhausted(ILogger logger, int capacity);

    [LoggerMessage(1500, LogLevel.Debug, "Refused a connection from {Address}: {Reason}")]
    public static partial void ConnectionRefused(ILogger logger, System.Net.IPAddress address, Connections.Admission reason);

    [LoggerMessage(1501, LogLevel.Warning, "Banned {Address} for {Seconds} s after {Failures} failed authentications")]
    public static partial void AddressBanned(ILogger logger, string address, long seconds, int failures);

    [LoggerMessage(1502, LogLevel.Warning, "Per-address table full ({Capacity} addresses): new addresses are admitted without per-address limits")]
    public static partial void PeerTableFull(ILogger logger, int capacity);

    [LoggerMessage(1503, LogLevel.Debug, "Inbound traffic over the rate: reading paused for {Milliseconds} ms")]
    public static partial void InboundThrottled(ILogger logger, int milliseconds);
}
