namespace XmppConf.Server.Connections;

/// <summary>
/// Per-connection inbound traffic shaping, a token bucket in the manner of Prosody's mod_limits:
/// of the bytes a read returns, only as many as the bucket holds are handed on; the rest stay in
/// the transport's buffer and nothing more is read until the bucket has refilled. The buffer fills,
/// the TCP window closes, and the sender is slowed down instead of disconnected. Pure arithmetic
/// on each read; only a connection over its rate waits, on a timer, never on a thread.
/// </summary>
internal sealed class InboundShaper
{
    private readonly double _bytesPerMillisecond;
    private readonly double _burst;
    private readonly double _resumeChunk;
    private double _tokens;
    private long _refilledAt;

    /// <param name="bytesPerSecond">Sustained rate; 0 switches shaping off.</param>
    /// <param name="burstBytes">Bucket size: what a rested connection may send at once.</param>
    public InboundShaper(int bytesPerSecond, int burstBytes, long now)
    {
        _bytesPerMillisecond = bytesPerSecond / 1000.0;
        _burst = burstBytes;
        // A paused reader resumes once about 100 ms of traffic is allowed: few wake-ups, smooth enough.
        _resumeChunk = Math.Min(burstBytes, Math.Max(1024, bytesPerSecond / 10));
        _tokens = burstBytes;
        _refilledAt = now;
    }

    public bool Enabled => _bytesPerMillisecond > 0;

    /// <summary>How many of <paramref name="newBytes"/> just read may be processed now; they are taken from the bucket.</summary>
    public long Admit(long newBytes, long now)
    {
        if (!Enabled || newBytes <= 0) return newBytes;
        var elapsed = now - _refilledAt;
        if (elapsed > 0)
        {
            _refilledAt = now;
            _tokens = Math.Min(_burst, _tokens + elapsed * _bytesPerMillisecond);
        }
        var admitted = Math.Min(newBytes, (long)_tokens);
        _tokens -= admitted;
        return admitted;
    }

    /// <summary>Milliseconds to wait before reading again, when <paramref name="heldBack"/> bytes could not be admitted.</summary>
    public int PauseFor(long heldBack)
    {
        var wanted = Math.Min(heldBack, _resumeChunk) - _tokens;
        return (int)Math.Clamp(Math.Ceiling(wanted / _bytesPerMillisecond), 1, int.MaxValue);
    }
}
