using System.Buffers;
using System.IO.Pipelines;
using System.Xml.Linq;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Server.Connections;
using XmppConf.Server.Logging;
using XmppConf.Server.Negotiation;

namespace XmppConf.Server.Sessions;

/// <summary>
/// One client connection from TCP accept to close: reads frames, negotiates the stream
/// (ClientSession.Negotiation.cs), then hands stanzas to the router. Before binding, the session
/// writes to the transport itself; once bound it is reachable by others, so every write goes
/// through its <see cref="Outbox"/> and one writer loop.
/// </summary>
internal sealed partial class ClientSession
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);
    private readonly SessionServices _services;
    private readonly XmppTransport _transport;
    private readonly XmppStreamFramer _framer;
    private readonly Outbox _outbox;
    private readonly InboundShaper _shaper;
    private readonly ILogger _log;
    private readonly long _connectedAt = Environment.TickCount64;
    private readonly Timer _idleTimer;
    private readonly CancellationTokenSource _closing = new();
    // Held while one stanza of this session is routed, and while its end is announced: the two never interleave.
    private readonly SemaphoreSlim _routing = new(1, 1);
    private Task? _writerLoop;
    private Task? _end;
    private long _lastReadAt = Environment.TickCount64;
    private long _pingSentAt;
    // Bytes left unconsumed in the input by the previous read: the next read's new bytes are those beyond them.
    private long _carriedBytes;
    private volatile bool _timerFired;
    private bool _headerSent;
    private bool _closeSent;
    private int _closeRequested;
    private StreamState _state = StreamState.Connected;

    public ClientSession(SessionServices services, XmppTransport transport)
    {
        _services = services;
        _transport = transport;
        _log = services.Logger;
        var limits = services.Limits;
        // Until authenticated, a peer may use only names the server already knows (XmlNameBudget).
        _framer = new XmppStreamFramer(
            new FramerLimits(limits.MaxStanzaBytesUnauthenticated, limits.MaxStanzaDepth, limits.MaxStanzaElements, AdmitNewNames: false),
            services.Names);
        _outbox = new Outbox(limits.OutboundQueueBytes);
        _shaper = new InboundShaper(limits.InboundBytesPerSecond, limits.InboundBurstBytes, _connectedAt);
        _idleTimer = new Timer(static s => ((ClientSession)s!).OnTimer(), this, Timeout.Infinite, Timeout.Infinite);
    }

    public string ConnectionId => _transport.ConnectionId;

    /// <summary>The bound full JID; null until resource binding succeeds (set by the session table as it binds).</summary>
    public Jid? FullJid { get; internal set; }

    public Jid? User { get; private set; }

    public bool IsBound => _state == StreamState.Bound;

    public bool IsSecure => _transport.IsSecure;

    /// <summary>Presence state owned by the IM layer; written only from this session's own read loop.</summary>
    public SessionPresence Presence { get; } = new();

    public async Task RunAsync()
    {
        using var scope = _log.BeginScope(new KeyValuePair<string, object>[] { new("ConnectionId", ConnectionId) });
        ServerLog.ConnectionOpened(_log, _transport.RemoteEndPoint, _transport.IsSecure);
        ArmTimer(_services.Limits.UnauthenticatedTimeoutSeconds);
        try
        {
            await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (XmppStreamException ex)
        {
            ServerLog.StreamError(_log, ex.Condition.ToXmlName(), ex.Text);
            await SendStreamErrorAsync(ex.Condition, ex.Text).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ConnectionResetException or IOException or ObjectDisposedException or OperationCanceledException or ConnectionAbortedException)
        {
            ServerLog.ConnectionLost(_log, ex.GetType().Name);
        }
        catch (System.Security.Authentication.AuthenticationException ex)
        {
            ServerLog.TlsHandshakeFailed(_log, ex.Message);
        }
        catch (Exception ex)
        {
            ServerLog.SessionCrashed(_log, ex);
            await SendStreamErrorAsync(StreamErrorCondition.InternalServerError, null).ConfigureAwait(false);
        }
        finally
        {
            await ShutdownAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Pipelines read loop (STYLE rule 5): frames are cut by the framer and handled in order.</summary>
    private async Task ReadLoopAsync()
    {
        while (true)
        {
            var input = _transport.Input;
            var result = await input.ReadAsync(_closing.Token).ConfigureAwait(false);
            if (result.IsCanceled)
            {
                await OnTimeoutCheckAsync().ConfigureAwait(false);
                continue;
            }
            var received = result.Buffer;
            // Traffic shaping (Limits:InboundBytesPerSecond): the framer sees only the bytes the bucket
            // admits; the rest stays in the transport, unread, until the pause below has refilled it.
            var newBytes = received.Length - _carriedBytes;
            var heldBack = newBytes - _shaper.Admit(newBytes, Environment.TickCount64);
            var buffer = heldBack == 0 ? received : received.Slice(0, received.Length - heldBack);
            var upgradeToTls = false;
            try
            {
                if (!received.IsEmpty)
                {
                    Volatile.Write(ref _lastReadAt, Environment.TickCount64);
                    _pingSentAt = 0;
                }
                while (_framer.TryReadFrame(ref buffer, out var frame))
                {
                    if (await HandleFrameAsync(frame).ConfigureAwait(false) is FrameOutcome.EndStream) return;
                    if (_state == StreamState.TlsRequested)
                    {
                        // RFC 6120 §5.4.3.3: nothing may follow <starttls/> until TLS is up; pipelined
                        // plaintext must never be read as if it had come inside TLS. Whitespace after the
                        // element (a newline, a keepalive) is not data and is dropped. Bytes held back by
                        // shaping are looked at too: they are just as much plaintext.
                        buffer = received.Slice(buffer.Start);
                        buffer = buffer.Slice(WhitespacePrefixLength(buffer));
                        if (!buffer.IsEmpty)
                        {
                            throw new XmppStreamException(StreamErrorCondition.PolicyViolation, "Data after <starttls/> before <proceed/>.");
                        }
                        heldBack = 0;
                        upgradeToTls = true;
                        break;
                    }
                }
                if (result.IsCompleted && !upgradeToTls && heldBack == 0) return;
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                _carriedBytes = buffer.Length;
            }
            if (upgradeToTls)
            {
                await CompleteStartTlsAsync().ConfigureAwait(false);
                _carriedBytes = 0;
            }
            if (heldBack > 0) await PauseReadingAsync(_shaper.PauseFor(heldBack)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The client sent more than its rate allows, so nothing more is read until the bucket has refilled.
    /// The transport's buffer fills, then the TCP window closes: the sender is slowed, not cut off.
    /// Timeouts still apply at the next read.
    /// </summary>
    private async Task PauseReadingAsync(int milliseconds)
    {
        ServerLog.InboundThrottled(_log, milliseconds);
        await Task.Delay(milliseconds, _closing.Token).ConfigureAwait(false);
    }

    /// <summary>Length of the leading XML whitespace (RFC 6120 §11.7: SP, TAB, CR, LF) in the buffer.</summary>
    private static long WhitespacePrefixLength(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.AdvancePastAny((byte)' ', (byte)'\t', (byte)'\r', (byte)'\n');
    }

    private async Task<FrameOutcome> HandleFrameAsync(XmppFrame frame)
    {
        switch (frame.Kind)
        {
            case FrameKind.StreamOpen:
                await OnStreamHeaderAsync(frame.Element!).ConfigureAwait(false);
                return FrameOutcome.Continue;
            case FrameKind.StreamClose:
                ServerLog.StreamClosedByPeer(_log);
                return FrameOutcome.EndStream;
            default:
                return await OnElementAsync(frame.Element!).ConfigureAwait(false);
        }
    }

    private async Task<FrameOutcome> OnElementAsync(XElement element)
    {
        if (element.Name.NamespaceName == Ns.Streams && element.Name.LocalName == "error")
        {
            ServerLog.PeerStreamError(_log, element.Elements().FirstOrDefault()?.Name.LocalName ?? "?");
            return FrameOutcome.EndStream;
        }
        if (_state != StreamState.Bound)
        {
            await NegotiateAsync(element).ConfigureAwait(false);
            return FrameOutcome.Continue;
        }
        if (element.Name.NamespaceName == Ns.Tls)
        {
            // RFC 6120 §5.4.3.1: as before binding (NegotiateAsync), STARTTLS after authentication is a policy violation.
            throw new XmppStreamException(StreamErrorCondition.PolicyViolation, "STARTTLS is not available at this point.");
        }
        if (element.Name.NamespaceName != Ns.Client || element.Name.LocalName is not ("message" or "presence" or "iq"))
        {
            throw new XmppStreamException(StreamErrorCondition.UnsupportedStanzaType, "Only message, presence and iq are accepted here.");
        }
        await _routing.WaitAsync(_closing.Token).ConfigureAwait(false);
        try
        {
            // A closing session (kicked, overflowed, shutting down) speaks no more: its end may already be announced.
            if (Volatile.Read(ref _closeRequested) != 0 || Volatile.Read(ref _end) is not null) return FrameOutcome.Continue;
            await _services.Router.RouteFromClientAsync(this, element, _closing.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not XmppStreamException && !(ex is OperationCanceledException && _closing.IsCancellationRequested))
        {
            // One stanza that fails (a store error, a component's bug) must not take the stream down with it.
            ServerLog.StanzaFailed(_log, element.Name.LocalName, ex);
            ReplyInternalServerError(element);
        }
        finally
        {
            _routing.Release();
        }
        return FrameOutcome.Continue;
    }

    /// <summary>RFC 6120 §8.3.1: the failed stanza is answered, unless it is itself an answer (iq result, any error) or presence.</summary>
    private void ReplyInternalServerError(XElement stanza)
    {
        var type = stanza.Attribute("type")?.Value;
        var answerable = stanza.Name.LocalName switch
        {
            "iq" => type is "get" or "set",
            "message" => type != "error",
            _ => false,
        };
        if (answerable) Deliver(StanzaError.InternalServerError().ReplyTo(stanza));
    }

    /// <summary>
    /// This session's end as others see it (session table, unavailable presence, components), run once by
    /// whoever asks first: the session's own shutdown, or a successor binding the same resource, which
    /// must not take the slot before this is done. Waits for a stanza being routed to finish first.
    /// </summary>
    public Task EndAsync()
    {
        if (Volatile.Read(ref _end) is { } running) return running;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _end, done.Task, null) is { } other) return other;
        _ = RunEndAsync(done);
        return done.Task;
    }

    private async Task RunEndAsync(TaskCompletionSource done)
    {
        try
        {
            await _routing.WaitAsync().ConfigureAwait(false);
            try
            {
                await _services.Router.OnSessionEndedAsync(this).ConfigureAwait(false);
            }
            finally
            {
                _routing.Release();
            }
        }
        catch (Exception ex)
        {
            ServerLog.SessionCrashed(_log, ex);
        }
        finally
        {
            done.TrySetResult();
        }
    }

    /// <summary>Sends one stanza to this client. Safe from any thread; never waits for the client.</summary>
    public bool Deliver(XElement stanza) => DeliverBytes(StanzaSerializer.ToUtf8(stanza));

    /// <summary>Sends already-serialised bytes (broadcasts serialise once and share them).</summary>
    public bool DeliverBytes(ReadOnlyMemory<byte> bytes)
    {
        if (_state != StreamState.Bound || Volatile.Read(ref _closeRequested) != 0) return false;
        if (_outbox.TryEnqueue(bytes)) return true;
        if (_outbox.Overflowed)
        {
            // The client stopped reading: buffering more would let one reader exhaust server memory.
            ServerLog.OutboxOverflow(_log, _outbox.QueuedBytes);
            Abort();
        }
        return false;
    }

    /// <summary>
    /// For this session's own bulk deliveries (offline messages): waits until the outbox can take
    /// <paramref name="bytes"/> more. A client that takes nothing for PingTimeoutSeconds is cut off,
    /// as if its queue had overflowed. False when the session cannot take them.
    /// </summary>
    public async Task<bool> WaitForOutboxSpaceAsync(int bytes, CancellationToken ct)
    {
        if (_state != StreamState.Bound) return false;
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        patience.CancelAfter(TimeSpan.FromSeconds(_services.Limits.PingTimeoutSeconds));
        try
        {
            return await _outbox.WaitForSpaceAsync(bytes, patience.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            ServerLog.OutboxOverflow(_log, _outbox.QueuedBytes);
            Abort();
            return false;
        }
    }

    /// <summary>True once everything delivered so far has been flushed to the client; same patience as above.</summary>
    public async Task<bool> WhenOutboxFlushedAsync(CancellationToken ct)
    {
        if (_state != StreamState.Bound) return false;
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        patience.CancelAfter(TimeSpan.FromSeconds(_services.Limits.PingTimeoutSeconds));
        try
        {
            return await _outbox.WhenFlushedAsync().WaitAsync(patience.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            ServerLog.OutboxOverflow(_log, _outbox.QueuedBytes);
            Abort();
            return false;
        }
    }

    /// <summary>Closes the stream from outside (kicked by a new session, shutdown): error, close tag, then TCP close.</summary>
    public void Close(StreamErrorCondition? condition, string? text)
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) != 0) return;
        if (condition is { } c)
        {
            ServerLog.StreamError(_log, c.ToXmlName(), text);
            _outbox.TryEnqueue(StreamHeader.Error(c, text));
        }
        _outbox.TryEnqueue(StreamHeader.Close);
        _closeSent = true;
        _outbox.Complete();
        _ = CloseAfterDrainAsync();
    }

    private async Task CloseAfterDrainAsync()
    {
        await DrainWriterAsync().ConfigureAwait(false);
        _closing.Cancel();
    }

    /// <summary>
    /// Gives the writer <see cref="DrainTimeout"/> to send what is queued. A writer still stuck after
    /// that (a client that stopped reading) is cut off by aborting the transport, then awaited.
    /// </summary>
    private async Task DrainWriterAsync()
    {
        if (_writerLoop is not { } writer) return;
        if (await Task.WhenAny(writer, Task.Delay(DrainTimeout)).ConfigureAwait(false) != writer)
        {
            _transport.Abort();
        }
        try
        {
            await writer.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ServerLog.SessionCrashed(_log, ex);
        }
    }

    private void Abort()
    {
        Interlocked.Exchange(ref _closeRequested, 1);
        _outbox.Complete();
        _closing.Cancel();
        _transport.Abort();
    }

    /// <summary>Pre-bind writes: the session is the only writer, so it writes and flushes directly.</summary>
    private async Task WriteDirectAsync(ReadOnlyMemory<byte> bytes)
    {
        var result = await _transport.Output.WriteAsync(bytes, _closing.Token).ConfigureAwait(false);
        if (result.IsCompleted) throw new ConnectionAbortedException();
    }

    private Task WriteDirectAsync(XElement element) => WriteDirectAsync(StanzaSerializer.ToUtf8(element));

    /// <summary>Replies from the session itself keep their order with deliveries from others once bound.</summary>
    internal Task SendAsync(XElement element)
    {
        if (_state == StreamState.Bound)
        {
            Deliver(element);
            return Task.CompletedTask;
        }
        return WriteDirectAsync(element);
    }

    private async Task SendStreamErrorAsync(StreamErrorCondition condition, string? text)
    {
        if (_closeSent) return;
        try
        {
            if (_state == StreamState.Bound)
            {
                Close(condition, text);
                return;
            }
            _closeSent = true;
            // RFC 6120 §4.9.1.1: an error before our header still needs the header first.
            if (!_headerSent) await WriteDirectAsync(StreamHeader.Open(_services.Server.Domain, StreamHeader.NewId(), null)).ConfigureAwait(false);
            await WriteDirectAsync(StreamHeader.Error(condition, text)).ConfigureAwait(false);
            await WriteDirectAsync(StreamHeader.Close).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ConnectionAbortedException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The peer is gone; nothing left to tell it.
        }
    }

    private async Task ShutdownAsync()
    {
        await _idleTimer.DisposeAsync().ConfigureAwait(false);
        if (_state == StreamState.Bound)
        {
            await EndAsync().ConfigureAwait(false);
            // Close() may run on another thread at the same moment; whoever claims _closeRequested
            // first queues the one close tag.
            if (Interlocked.Exchange(ref _closeRequested, 1) == 0 && !_closeSent)
            {
                _closeSent = true;
                _outbox.TryEnqueue(StreamHeader.Close);
            }
            _outbox.Complete();
            await DrainWriterAsync().ConfigureAwait(false);
        }
        else if (!_closeSent && _headerSent)
        {
            _closeSent = true;
            try { await WriteDirectAsync(StreamHeader.Close).ConfigureAwait(false); }
            catch (Exception ex) when (ex is IOException or ConnectionAbortedException or ObjectDisposedException or OperationCanceledException or InvalidOperationException) { }
        }
        ServerLog.ConnectionClosed(_log, FullJid?.ToString());
        await _transport.DisposeAsync().ConfigureAwait(false);
    }

    // Started directly, not through Task.Run: the loop goes to sleep at its first await, and an idle
    // connection is spared the wrapper task and closure.
    private void StartWriter() => _writerLoop = RunWriterLoopAsync(_transport.Output);

    private async Task RunWriterLoopAsync(PipeWriter output)
    {
        try
        {
            await _outbox.RunWriterAsync(output, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ConnectionAbortedException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            ServerLog.ConnectionLost(_log, ex.GetType().Name);
        }
        finally
        {
            // A dead writer means a dead connection: stop reading too.
            if (Volatile.Read(ref _closeRequested) == 0) Abort();
            else _closing.Cancel();
        }
    }

    private enum FrameOutcome { Continue, EndStream }
}
