using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace XmppConf.Server.Connections;

/// <summary>
/// The byte pipes a session reads and writes. Starts as Kestrel's transport (already TLS on the
/// direct-TLS port) and is swapped for an SslStream-backed pair when STARTTLS succeeds.
/// </summary>
internal sealed class XmppTransport : IAsyncDisposable
{
    private readonly ConnectionContext _connection;
    private SslStream? _tls;

    public XmppTransport(ConnectionContext connection)
    {
        _connection = connection;
        Input = connection.Transport.Input;
        Output = connection.Transport.Output;
        IsSecure = connection.Features.Get<ITlsHandshakeFeature>() is not null;
        Peer = connection.Features.Get<PeerRecord>();
    }

    /// <summary>The remote address's record in the <see cref="PeerTable"/>; null when untracked.</summary>
    public PeerRecord? Peer { get; }

    public PipeReader Input { get; private set; }
    public PipeWriter Output { get; private set; }
    public bool IsSecure { get; private set; }
    public string ConnectionId => _connection.ConnectionId;
    public string RemoteEndPoint => _connection.RemoteEndPoint?.ToString() ?? "?";

    /// <summary>RFC 6120 §5.4.3.3: TLS negotiation over the existing TCP connection, TLS 1.2+ only.</summary>
    public async Task UpgradeToTlsAsync(X509Certificate2 certificate, TimeSpan handshakeTimeout, CancellationToken cancellationToken)
    {
        var tls = new SslStream(new DuplexPipeStream(_connection.Transport), leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(handshakeTimeout);
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = certificate,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        }, timeout.Token).ConfigureAwait(false);
        _tls = tls;
        // Zero-byte reads: an idle TLS connection waits for data without holding an 8 KB read buffer
        // here (and SslStream then holds none of its own either); buffers are taken when bytes arrive.
        Input = PipeReader.Create(tls, new StreamPipeReaderOptions(bufferSize: 8192, minimumReadSize: 2048, leaveOpen: true, useZeroByteReads: true));
        Output = PipeWriter.Create(tls, new StreamPipeWriterOptions(leaveOpen: true));
        IsSecure = true;
    }

    public void Abort() => _connection.Abort(new ConnectionAbortedException("closed by server"));

    /// <summary>
    /// Releases the TLS layer. The peer may already be gone, so completing the pipes (which flushes)
    /// or closing TLS (which sends close_notify) may fail with I/O errors: each step runs regardless.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_tls is null) return;
        try
        {
            await Input.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // Nothing left to read from.
        }
        try
        {
            await Output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // Nothing left to write to.
        }
        try
        {
            await _tls.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The peer is gone; close_notify cannot reach it.
        }
    }
}
