using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XmppConf.Core.Stanzas;
using XmppConf.Server.Logging;
using XmppConf.Server.Negotiation;
using XmppConf.Server.Options;

namespace XmppConf.Server.Connections;

/// <summary>
/// Kestrel connection middleware in front of every listener, before TLS: asks the
/// <see cref="PeerTable"/> whether the remote address may open another connection. A refused
/// connection on the STARTTLS port gets our stream header and a &lt;policy-violation/&gt; stream
/// error (RFC 6120 §4.9.3.14) written from pre-encoded bytes; on the direct-TLS port, where the
/// client expects a TLS handshake, it is simply closed. Admitted connections carry their
/// <see cref="PeerRecord"/> as a connection feature, released when the connection ends.
/// </summary>
internal sealed class ConnectionGate
{
    // Long enough for the client's own header to arrive and be discarded, so closing sends FIN rather
    // than a reset that could destroy the error before the client reads it; short enough to cost little.
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(1);
    private const int MaxLingerBytes = 16_384;
    private const int MaxLingeringRefusals = 1_000;
    private static readonly byte[] Hex = "0123456789abcdef"u8.ToArray();

    private readonly PeerTable _peers;
    private readonly ILogger _log;
    private readonly byte[] _headerBeforeId;
    private readonly byte[] _headerAfterId;
    private readonly byte[] _tooManyConnections;
    private readonly byte[] _tooManyAttempts;
    private readonly byte[] _banned;
    private readonly byte[] _serverFull;
    private readonly int _maxConnections;
    private int _connections;
    private int _lingering;

    public ConnectionGate(PeerTable peers, IOptions<ServerOptions> server, IOptions<LimitsOptions> limits, ILogger<ConnectionGate> log)
    {
        _peers = peers;
        _maxConnections = limits.Value.MaxConnections;
        _log = log;
        // StreamHeader.Open with a placeholder id, split around it: each refusal still gets a fresh random id.
        var header = Encoding.UTF8.GetString(StreamHeader.Open(server.Value.Domain, "\0", null));
        var split = header.IndexOf('\0', StringComparison.Ordinal);
        _headerBeforeId = Encoding.UTF8.GetBytes(header[..split]);
        _headerAfterId = Encoding.UTF8.GetBytes(header[(split + 1)..]);
        _tooManyConnections = ErrorAndClose(RefusalText(Admission.TooManyConnections));
        _tooManyAttempts = ErrorAndClose(RefusalText(Admission.TooManyAttempts));
        _banned = ErrorAndClose(RefusalText(Admission.Banned));
        // RFC 6120 §4.9.3.17: the server lacks the resources to serve another stream.
        _serverFull = [.. StreamHeader.Error(StreamErrorCondition.ResourceConstraint, RefusalText(Admission.ServerFull)), .. StreamHeader.Close];
    }

    /// <summary>The text of the stream error (and of the SASL failure, for a ban) a refused client reads.</summary>
    public static string RefusalText(Admission admission) => admission switch
    {
        Admission.TooManyConnections => "Too many connections from your address.",
        Admission.TooManyAttempts => "Too many connection attempts from your address; try again in a minute.",
        Admission.Banned => "Too many failed authentication attempts from your address; try again later.",
        Admission.ServerFull => "The server is serving as many connections as it may; try again later.",
        _ => "",
    };

    /// <param name="speaksXmppFirst">True on the STARTTLS port; false behind direct TLS, where XML cannot be sent yet.</param>
    public Func<ConnectionDelegate, ConnectionDelegate> Middleware(bool speaksXmppFirst) =>
        next => connection => OnConnectedAsync(connection, next, speaksXmppFirst);

    private async Task OnConnectedAsync(ConnectionContext connection, ConnectionDelegate next, bool speaksXmppFirst)
    {
        if (connection.RemoteEndPoint is not IPEndPoint endPoint)
        {
            await next(connection).ConfigureAwait(false);
            return;
        }
        // A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d; PeerKey counts them as the IPv4
        // address, and IPv6 clients by their network prefix.
        var address = endPoint.Address;
        // Limits:MaxConnections: one server-wide count, taken first and given back when the connection ends.
        if (_maxConnections > 0 && Interlocked.Increment(ref _connections) > _maxConnections)
        {
            Interlocked.Decrement(ref _connections);
            ServerLog.ConnectionRefused(_log, endPoint.Address, Admission.ServerFull);
            if (speaksXmppFirst) await RefuseAsync(connection, Admission.ServerFull).ConfigureAwait(false);
            else connection.Abort(new ConnectionAbortedException("refused: server connection limit"));
            return;
        }
        try
        {
            await AdmitPeerAsync(connection, next, speaksXmppFirst, address).ConfigureAwait(false);
        }
        finally
        {
            if (_maxConnections > 0) Interlocked.Decrement(ref _connections);
        }
    }

    private async Task AdmitPeerAsync(ConnectionContext connection, ConnectionDelegate next, bool speaksXmppFirst, IPAddress address)
    {
        var admission = _peers.Admit(address, out var record);
        if (admission != Admission.Admitted)
        {
            ServerLog.ConnectionRefused(_log, address, admission);
            if (speaksXmppFirst) await RefuseAsync(connection, admission).ConfigureAwait(false);
            else connection.Abort(new ConnectionAbortedException("refused by per-address limits"));
            return;
        }
        if (record is null)
        {
            await next(connection).ConfigureAwait(false);
            return;
        }
        connection.Features.Set(record);
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            record.Release();
        }
    }

    private async Task RefuseAsync(ConnectionContext connection, Admission admission)
    {
        // A flood of refused connections must not pile up lingering sockets: past this many at once,
        // refuse by closing straight away.
        if (Interlocked.Increment(ref _lingering) > MaxLingeringRefusals)
        {
            Interlocked.Decrement(ref _lingering);
            connection.Abort(new ConnectionAbortedException("refused while many refusals are pending"));
            return;
        }
        using var linger = new CancellationTokenSource(Linger);
        try
        {
            var output = connection.Transport.Output;
            WriteRefusal(output, admission switch
            {
                Admission.TooManyConnections => _tooManyConnections,
                Admission.TooManyAttempts => _tooManyAttempts,
                Admission.ServerFull => _serverFull,
                _ => _banned,
            });
            await output.FlushAsync(linger.Token).ConfigureAwait(false);
            await DiscardInputAsync(connection.Transport.Input, linger.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException or ConnectionAbortedException or InvalidOperationException)
        {
            // The client is gone or still talking after the linger: either way the connection ends here.
        }
        finally
        {
            Interlocked.Decrement(ref _lingering);
        }
    }

    /// <summary>RFC 6120 §4.9.1.1: our header (with a fresh id) first, then the error and the close tag.</summary>
    private void WriteRefusal(PipeWriter output, byte[] errorAndClose)
    {
        output.Write(_headerBeforeId);
        Span<byte> id = stackalloc byte[16];
        RandomNumberGenerator.Fill(id);
        var hex = output.GetSpan(32);
        for (var i = 0; i < id.Length; i++)
        {
            hex[2 * i] = Hex[id[i] >> 4];
            hex[2 * i + 1] = Hex[id[i] & 0xF];
        }
        output.Advance(32);
        output.Write(_headerAfterId);
        output.Write(errorAndClose);
    }

    private static async Task DiscardInputAsync(PipeReader input, CancellationToken ct)
    {
        long discarded = 0;
        while (discarded < MaxLingerBytes)
        {
            var result = await input.ReadAsync(ct).ConfigureAwait(false);
            discarded += result.Buffer.Length;
            input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled) return;
        }
    }

    private static byte[] ErrorAndClose(string text) =>
        [.. StreamHeader.Error(StreamErrorCondition.PolicyViolation, text), .. StreamHeader.Close];
}
