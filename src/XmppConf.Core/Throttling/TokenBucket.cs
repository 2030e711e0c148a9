namespace XmppConf.Core.Throttling;

/// <summary>
/// A token bucket (the shape of Prosody's util.throttle and ejabberd's shapers): it holds up to
/// <c>capacity</c> tokens, refills at <c>perSecond</c>, and each event takes what it costs. Every
/// rate limit in the server is one: room and per-user flood limits, room creations, connection
/// attempts per address, inbound bytes per connection. Time comes from the caller in
/// <see cref="TimeSpan"/> ticks (a <see cref="TimeProvider"/>'s UtcTicks, or TickCount64
/// milliseconds × <see cref="TimeSpan.TicksPerMillisecond"/>), so tests are deterministic.
/// Not thread-safe: each owner serialises access (a room's actor, a lock, a read loop).
/// </summary>
public sealed class TokenBucket
{
    private readonly double _perTick;
    private readonly double _capacity;
    private double _tokens;
    private long _updatedTicks;

    /// <summary>A full bucket.</summary>
    public TokenBucket(double perSecond, double capacity, long nowTicks)
    {
        _perTick = perSecond / TimeSpan.TicksPerSecond;
        _capacity = Math.Max(1, capacity);
        _tokens = _capacity;
        _updatedTicks = nowTicks;
    }

    /// <summary>Tokens per second.</summary>
    public double PerSecond => _perTick * TimeSpan.TicksPerSecond;

    /// <summary>Takes <paramref name="count"/> tokens; false (nothing taken) when the bucket holds fewer.</summary>
    public bool TryTake(long nowTicks, int count = 1)
    {
        Refill(nowTicks);
        if (_tokens < count) return false;
        _tokens -= count;
        return true;
    }

    /// <summary>Takes as many whole tokens as are there, up to <paramref name="wanted"/>; returns how many.</summary>
    public long TakeUpTo(long nowTicks, long wanted)
    {
        Refill(nowTicks);
        var taken = Math.Min(wanted, (long)_tokens);
        _tokens -= taken;
        return taken;
    }

    /// <summary>Tokens held as of the last call (no refill).</summary>
    public double Tokens => _tokens;

    /// <summary>True when the bucket has refilled completely: forgetting it changes nothing.</summary>
    public bool IsFull(long nowTicks)
    {
        Refill(nowTicks);
        return _tokens >= _capacity;
    }

    private void Refill(long nowTicks)
    {
        var elapsed = nowTicks - _updatedTicks;
        // A clock set back restarts the measure rather than freezing the bucket until it catches up.
        if (elapsed > 0)
        {
            _tokens = Math.Min(_capacity, _tokens + elapsed * _perTick);
        }
        _updatedTicks = nowTicks;
    }
}
