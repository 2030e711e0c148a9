using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using System.Xml;
using System.Xml.Linq;
using XmppConf.Core.Xml;

namespace XmppConf.Testing.Xmpp;

/// <summary>
/// A small XMPP client (RFC 6120/6121) over a real TCP socket, for end-to-end tests. It speaks the
/// protocol only and shares no code with the server. A background loop frames what the server sends
/// into top-level elements; receives take them in order, optionally skipping non-matching ones into a
/// backlog that later receives look at first. Receives run one at a time (concurrent ones queue), so a
/// test drives each client from one flow. Everything sent and received is kept in <see cref="Transcript"/>.
/// </summary>
public sealed partial class TestXmppClient : IAsyncDisposable
{
    private const int TranscriptLinesInMessages = 60;
    private const int TranscriptEntryLimit = 4000;

    private static readonly XName StreamError = XName.Get("error", Ns.Streams);
    private static readonly XName Iq = XName.Get("iq", Ns.Client);
    private static readonly XmlReaderSettings SafeXml = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreWhitespace = false,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    private static int s_clientCounter;

    private readonly TcpClient _tcp;
    private readonly string _host;
    private readonly XmlStreamFramer _framer = new();
    private readonly Channel<XElement> _inbox = Channel.CreateUnbounded<XElement>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly List<XElement> _backlog = [];
    private readonly SemaphoreSlim _receiveLock = new(1, 1);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly List<string> _transcript = [];
    private readonly CancellationTokenSource _disposed = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _idPrefix;
    private Stream _stream;
    private Task _readLoop = Task.CompletedTask;
    private string? _headerCloseTag;
    private string? _headerText;
    private volatile bool _pauseAfterProceed;
    private int _idCounter;
    private bool _clientClosedStream;
    private Exception? _readFailure;

    private TestXmppClient(TcpClient tcp, string host, string domain)
    {
        _tcp = tcp;
        _host = host;
        _stream = tcp.GetStream();
        Domain = domain;
        _idPrefix = $"t{Interlocked.Increment(ref s_clientCounter)}-";
    }

    /// <summary>The domain put in <c>to</c> of the stream header and used as TLS server name.</summary>
    public string Domain { get; }

    /// <summary>Timeout for receives that are not given one; 5 s unless changed.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The server's certificate once TLS is up (any certificate is accepted; tests check it here).</summary>
    public X509Certificate2? RemoteCertificate { get; private set; }

    /// <summary>What ordinary validation would have said about <see cref="RemoteCertificate"/>.</summary>
    public SslPolicyErrors RemoteCertificateErrors { get; private set; }

    /// <summary>The negotiated TLS version, or null before TLS.</summary>
    public SslProtocols? TlsProtocol { get; private set; }

    public bool IsEncrypted => _stream is SslStream;

    /// <summary>The server's latest stream header, as an empty element carrying its attributes (id, from, version …).</summary>
    public XElement? ServerStreamHeader { get; private set; }

    /// <summary>The latest <c>&lt;stream:features/&gt;</c> received by a negotiation helper.</summary>
    public XElement? Features { get; private set; }

    /// <summary>The full JID after <see cref="BindAsync"/>.</summary>
    public string? Jid { get; private set; }

    /// <summary>True once the server closed the stream (<c>&lt;/stream:stream&gt;</c>) or the socket, or the read side failed.</summary>
    public bool IsClosed => _closed.Task.IsCompleted;

    /// <summary>True once the server sent <c>&lt;/stream:stream&gt;</c>.</summary>
    public bool ServerClosedStream { get; private set; }

    /// <summary>True once the TCP connection ended (end of stream, reset or a TLS failure on read).</summary>
    public bool SocketClosed { get; private set; }

    /// <summary>Snapshot of everything sent ("C: …") and received ("S: …"), in order.</summary>
    public IReadOnlyList<string> Transcript
    {
        get
        {
            lock (_transcript)
            {
                return _transcript.ToArray();
            }
        }
    }

    /// <summary>Opens a TCP connection (and TLS at once when <paramref name="directTls"/>, XEP-0368). Does not open the XMPP stream.</summary>
    /// <param name="localAddress">Source address to connect from, e.g. 127.0.0.5: per-IP limits then count this client apart from others.</param>
    public static async Task<TestXmppClient> ConnectAsync(string host, int port, string domain, bool directTls = false, CancellationToken ct = default, IPAddress? localAddress = null)
    {
        var tcp = localAddress is null ? new TcpClient { NoDelay = true } : new TcpClient(new IPEndPoint(localAddress, 0)) { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, ct).ConfigureAwait(false);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }

        var client = new TestXmppClient(tcp, host, domain);
        client.Log($"C: [connected to {host}:{port}]");
        try
        {
            if (directTls)
            {
                await client.UpgradeToTlsAsync(directTls: true, ct).ConfigureAwait(false);
            }

            client.StartReadLoop();
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // ---- sending ----

    /// <summary>Sends one element. Elements with no namespace inherit the stream's jabber:client.</summary>
    public Task SendAsync(XElement stanza, CancellationToken ct = default)
        => SendRawAsync(stanza.ToString(SaveOptions.DisableFormatting | SaveOptions.OmitDuplicateNamespaces), ct);

    /// <summary>Sends text as is (UTF-8), for malformed or hostile input.</summary>
    public Task SendRawAsync(string xml, CancellationToken ct = default)
    {
        Log("C: " + xml);
        return WriteAsync(Encoding.UTF8.GetBytes(xml), ct);
    }

    /// <summary>Sends bytes as is, e.g. invalid UTF-8.</summary>
    public Task SendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct = default)
    {
        Log("C: " + DescribeBytes(bytes.Span));
        return WriteAsync(bytes, ct);
    }

    /// <summary>Sends <c>&lt;/stream:stream&gt;</c> (RFC 6120 §4.4); the socket stays open to watch the server close.</summary>
    public async Task CloseAsync(CancellationToken ct = default)
    {
        _clientClosedStream = true;
        await SendRawAsync("</stream:stream>", ct).ConfigureAwait(false);
    }

    /// <summary>A fresh stanza id, unique per client.</summary>
    public string NextId() => _idPrefix + Interlocked.Increment(ref _idCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _disposed.Token);
        await _writeLock.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes, linked.Token).ConfigureAwait(false);
            await _stream.FlushAsync(linked.Token).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    // ---- transcript ----

    private void Log(string line)
    {
        if (line.Length > TranscriptEntryLimit)
        {
            line = string.Concat(line.AsSpan(0, TranscriptEntryLimit), $"… ({line.Length} chars)");
        }

        lock (_transcript)
        {
            _transcript.Add(line);
        }
    }

    private static string DescribeBytes(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return $"[{bytes.Length} bytes, not UTF-8] {Convert.ToHexString(bytes[..Math.Min(bytes.Length, 256)])}";
        }
    }

    private static string Show(XElement element) => element.ToString(SaveOptions.DisableFormatting);

    /// <summary>The backlog and the latest transcript lines, for failure messages.</summary>
    public string DescribeState()
    {
        var text = new StringBuilder();
        lock (_backlog)
        {
            if (_backlog.Count > 0)
            {
                text.Append("Skipped (backlog): ").Append(_backlog.Count).AppendLine();
                foreach (XElement skipped in _backlog)
                {
                    text.Append("  ").AppendLine(Show(skipped));
                }
            }
        }

        IReadOnlyList<string> lines = Transcript;
        int from = Math.Max(0, lines.Count - TranscriptLinesInMessages);
        text.Append("Transcript").Append(from > 0 ? $" (last {lines.Count - from} of {lines.Count})" : string.Empty).AppendLine(":");
        for (int i = from; i < lines.Count; i++)
        {
            text.Append("  ").AppendLine(lines[i]);
        }

        return text.ToString();
    }

    // ---- lifetime ----

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        if (!IsClosed && !_clientClosedStream && _headerText is not null)
        {
            // Be polite so the server logs a clean close rather than a reset (RFC 6120 §4.4).
            try
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await CloseAsync(quick.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // The connection is already gone; nothing left to be polite to.
            }
        }

        await _disposed.CancelAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _tcp.Dispose();
        try
        {
            await _readLoop.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Expected while tearing down.
        }

        MarkClosed();
        _disposed.Dispose();
        RemoteCertificate?.Dispose();
    }

    public override string ToString() => $"TestXmppClient({Jid ?? Domain} via {_host})";
}
