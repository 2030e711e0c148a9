namespace XmppConf.Muc.Service;

/// <summary>
/// A token bucket (the shape of Prosody's util.throttle and ejabberd's shapers): it holds up to
/// <c>capacity</c> tokens, refills at <c>perSecond</c>, and each event takes one. Time comes from
/// the caller (the room's or the service's <see cref="TimeProvider"/>) so tests are deterministic.
/// Not thread-safe by design: a room's buckets live on its actor, the service's under its
/// activation lock.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _perSecond;
    private readonly double _capacity;
    private double _tokens;
    private long _updatedTicks;

    public TokenBucket(double perSecond, double capacity, DateTimeOffset now)
    {
        _perSecond = perSecond;
        _capacity = Math.Max(1, capacity);
        _tokens = _capacity;
        _updatedTicks = now.UtcTicks;
    }

    /// <summary>Takes <paramref name="count"/> tokens; false (nothing taken) when the bucket holds fewer.</summary>
    public bool TryTake(DateTimeOffset now, int count = 1)
    {
        Refill(now);
        if (_tokens < count) return false;
        _tokens -= count;
        return true;
    }

    /// <summary>True when a token is available now (nothing taken).</summary>
    public bool HasToken(DateTimeOffset now)
    {
        Refill(now);
        return _tokens >= 1;
    }

    /// <summary>True when the bucket has refilled completely: forgetting it changes nothing.</summary>
    public bool IsFull(DateTimeOffset now)
    {
        Refill(now);
        return _tokens >= _capacity;
    }

    private void Refill(DateTimeOffset now)
    {
        var elapsedTicks = now.UtcTicks - _updatedTicks;
        // A clock set back restarts the measure rather than freezing the bucket until it catches up.
        if (elapsedTicks > 0)
        {
            _tokens = Math.Min(_capacity, _tokens + elapsedTicks * _perSecond / TimeSpan.TicksPerSecond);
        }
        _updatedTicks = now.UtcTicks;
    }
}
