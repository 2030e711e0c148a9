using XmppConf.Core.Throttling;

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
    private readonly TokenBucket? _bytes;
    private readonly double _resumeChunk;

    /// <param name="bytesPerSecond">Sustained rate; 0 switches shaping off.</param>
    /// <param name="burstBytes">Bucket size: what a rested connection may send at once.</param>
    /// <param name="now">Environment.TickCount64 milliseconds.</param>
    public InboundShaper(int bytesPerSecond, int burstBytes, long now)
    {
        _bytes = bytesPerSecond > 0 ? new TokenBucket(bytesPerSecond, burstBytes, now * TimeSpan.TicksPerMillisecond) : null;
        // A paused reader resumes once about 100 ms of traffic is allowed: few wake-ups, smooth enough.
        _resumeChunk = Math.Min(burstBytes, Math.Max(1024, bytesPerSecond / 10));
    }

    public bool Enabled => _bytes is not null;

    /// <summary>How many of <paramref name="newBytes"/> just read may be processed now; they are taken from the bucket.</summary>
    public long Admit(long newBytes, long now) =>
        _bytes is null || newBytes <= 0 ? newBytes : _bytes.TakeUpTo(now * TimeSpan.TicksPerMillisecond, newBytes);

    /// <summary>Milliseconds to wait before reading again, when <paramref name="heldBack"/> bytes could not be admitted.</summary>
    public int PauseFor(long heldBack)
    {
        var wanted = Math.Min(heldBack, _resumeChunk) - _bytes!.Tokens;
        return (int)Math.Clamp(Math.Ceiling(wanted * 1000 / _bytes.PerSecond), 1, int.MaxValue);
    }
}
