using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace XmppConf.Load;

/// <summary>
/// One client TCP connection (optionally upgraded by STARTTLS) with element framing. One reader
/// and one writer may use it at the same time, which both NetworkStream and SslStream allow.
/// </summary>
internal sealed class XmppConnection : IAsyncDisposable
{
    private const int MaxElementBytes = 1 << 20;
    private const int IpProtocolIp = 0;
    private const int IpBindAddressNoPort = 24;

    private readonly Socket _socket;
    private Stream _stream;
    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    private XmppConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    /// <summary>The full JID the server bound.</summary>
    public string Jid { get; set; } = "";

    private static int _connectCount;

    /// <summary>Connects from the next of --source-addresses (round-robin), or from wherever the OS picks.</summary>
    public static async Task<XmppConnection> ConnectAsync(LoadOptions o, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (o.SourceAddresses.Count > 0)
            {
                var source = o.SourceAddresses[(int)((uint)Interlocked.Increment(ref _connectCount) % (uint)o.SourceAddresses.Count)];
                // ip(7) IP_BIND_ADDRESS_NO_PORT: pick the port at connect time, so each source
                // address gets the whole ephemeral range per destination instead of per address.
                if (OperatingSystem.IsLinux()) socket.SetRawSocketOption(IpProtocolIp, IpBindAddressNoPort, BitConverter.GetBytes(1));
                socket.Bind(new System.Net.IPEndPoint(source, 0));
            }
            await socket.ConnectAsync(o.Host, o.Port, ct).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new XmppConnection(socket);
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct) => _stream.WriteAsync(bytes, ct);

    public ValueTask SendAsync(string xml, CancellationToken ct) => _stream.WriteAsync(Encoding.UTF8.GetBytes(xml), ct);

    /// <summary>The next top-level element; throws EndOfStreamException when the server closes.</summary>
    public async ValueTask<Element> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            if (ElementScanner.TryFind(_buffer.AsSpan(_start, _end - _start), out var s, out var e, out var kind))
            {
                var element = new Element(kind, _buffer.AsMemory(_start + s, e - s));
                _start += e;
                return element;
            }
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
            {
                if (_buffer.Length >= MaxElementBytes) throw new LoadException("Element larger than 1 MiB.");
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var n = await _stream.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
            if (n == 0) throw new EndOfStreamException("Server closed the connection.");
            _end += n;
        }
    }

    /// <summary>RFC 6120 §5.4.3.3: after &lt;proceed/&gt; the TLS handshake starts on the same socket.</summary>
    public async Task UpgradeToTlsAsync(string domain, CancellationToken ct)
    {
        // A benchmark talks to a local server with a self-signed certificate: no validation.
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = domain }, ct).ConfigureAwait(false);
        _stream = ssl;
        _start = 0;
        _end = 0;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _socket.Dispose();
        }
    }
}
