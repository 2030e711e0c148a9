using System.Buffers.Text;
using System.Diagnostics;
using System.Text;

namespace XmppConf.Load.Scenarios;

/// <summary>
/// One logged-in client in one room, with its own reader. The reader classifies stanzas on
/// bytes only (no parsing, no string per stanza) so the tool stays cheaper than the server.
/// </summary>
internal sealed class Occupant
{
    private const string MucNs = "http://jabber.org/protocol/muc";
    private readonly byte[] _messagePrefix;
    private readonly byte[] _messageSuffix = "</body></message>"u8.ToArray();
    private readonly byte[] _sendBuffer;
    private long _stanzas;
    private long _delivered;

    public Occupant(XmppConnection connection, string roomJid, string nick)
    {
        Connection = connection;
        RoomJid = roomJid;
        Nick = nick;
        // Pre-serialised: only the timestamp digits change per message.
        _messagePrefix = Encoding.UTF8.GetBytes($"<message type='groupchat' to='{roomJid}'><body>ts:");
        _sendBuffer = new byte[_messagePrefix.Length + 20 + _messageSuffix.Length];
        _messagePrefix.CopyTo(_sendBuffer, 0);
    }

    public XmppConnection Connection { get; }
    public string RoomJid { get; }
    public string Nick { get; }

    /// <summary>Completes with the Stopwatch timestamp of the self-presence (XEP-0045 §7.2.3 status 110).</summary>
    public TaskCompletionSource<long> Joined { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The room answered the owner configuration form.</summary>
    public TaskCompletionSource ConfigDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>XEP-0045 §10.1.1 status 201: this join created the room.</summary>
    public bool CreatedRoom { get; private set; }

    public LatencyRecorder Latencies { get; } = new();
    public long Stanzas => Interlocked.Read(ref _stanzas);
    public long Delivered => Interlocked.Read(ref _delivered);
    public bool Closed { get; private set; }
    public Task Reader { get; private set; } = Task.CompletedTask;

    /// <summary>XEP-0045 §7.2.1, asking for no history (§7.2.14) so only live traffic is measured.</summary>
    public ValueTask SendJoinAsync(CancellationToken ct) =>
        Connection.SendAsync($"<presence to='{RoomJid}/{Nick}'><x xmlns='{MucNs}'><history maxstanzas='0'/></x></presence>", ct);

    /// <summary>XEP-0045 §10.1.2: submitting an empty form accepts the defaults (instant room).</summary>
    public ValueTask SendInstantRoomConfigAsync(CancellationToken ct) =>
        Connection.SendAsync($"<iq type='set' id='cfg' to='{RoomJid}'><query xmlns='{MucNs}#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>", ct);

    public ValueTask SendTimestampedAsync(CancellationToken ct)
    {
        Utf8Formatter.TryFormat(Stopwatch.GetTimestamp(), _sendBuffer.AsSpan(_messagePrefix.Length), out var digits);
        var end = _messagePrefix.Length + digits;
        _messageSuffix.CopyTo(_sendBuffer, end);
        return Connection.SendAsync(_sendBuffer.AsMemory(0, end + _messageSuffix.Length), ct);
    }

    public void StartReader(CancellationToken ct) => Reader = Task.Run(() => ReadLoopAsync(ct), CancellationToken.None);

    private async Task ReadLoopAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var e = await Connection.ReadAsync(ct).ConfigureAwait(false);
                if (e.Kind == ElementKind.StreamEnd) break;
                Handle(e.Bytes.Span);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or LoadException)
        {
        }
        Closed = true;
        Joined.TrySetException(new LoadException($"{Nick}: connection closed before joining {RoomJid}."));
        ConfigDone.TrySetException(new LoadException($"{Nick}: connection closed before configuring {RoomJid}."));
    }

    private void Handle(ReadOnlySpan<byte> s)
    {
        Interlocked.Increment(ref _stanzas);
        if (s.StartsWith("<message"u8))
        {
            var ts = s.IndexOf("<body>ts:"u8);
            if (ts >= 0 && Utf8Parser.TryParse(s[(ts + 9)..], out long sent, out _))
            {
                Latencies.Add(sent);
                Interlocked.Increment(ref _delivered);
            }
        }
        else if (s.StartsWith("<presence"u8))
        {
            if (Has(s, "code='110'"u8, "code=\"110\""u8))
            {
                if (Has(s, "code='201'"u8, "code=\"201\""u8)) CreatedRoom = true;
                Joined.TrySetResult(Stopwatch.GetTimestamp());
            }
            else if (Has(s, "type='error'"u8, "type=\"error\""u8))
            {
                Joined.TrySetException(new LoadException($"{Nick}: join refused: {Encoding.UTF8.GetString(s)}"));
            }
        }
        else if (s.StartsWith("<iq"u8) && Has(s, "id='cfg'"u8, "id=\"cfg\""u8))
        {
            if (Has(s, "type='error'"u8, "type=\"error\""u8))
                ConfigDone.TrySetException(new LoadException($"{Nick}: room configuration refused: {Encoding.UTF8.GetString(s)}"));
            else ConfigDone.TrySetResult();
        }
    }

    private static bool Has(ReadOnlySpan<byte> s, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => s.IndexOf(a) >= 0 || s.IndexOf(b) >= 0;
}
