using System.Net;
using XmppConf.Core.Throttling;

namespace XmppConf.Server.Connections;

/// <summary>
/// What the server remembers about one remote IP address: open connections, a token bucket of
/// connection attempts, and failed authentications towards a ban. Times are Environment.TickCount64
/// milliseconds. A record the table has dropped is <see cref="_retired"/>; whoever still holds it
/// looks the address up again, so a count is never kept on a record nobody can find.
/// </summary>
internal sealed class PeerRecord(IPAddress address, PeerPolicy policy, long now)
{
    private readonly Lock _lock = new();
    private int _active;
    private readonly TokenBucket? _attempts = policy.AttemptsPerMinute > 0
        ? new TokenBucket(policy.AttemptsPerMinute / 60.0, policy.AttemptsPerMinute, now * TimeSpan.TicksPerMillisecond)
        : null;
    private int _failures;
    private long _failureWindowStart;
    private long _bannedUntil;
    private bool _retired;

    public IPAddress Address { get; } = address;

    /// <summary>Counts a connection attempt and, if allowed, the open connection. Null when the record was retired meanwhile.</summary>
    public Admission? TryAdmit(long now)
    {
        lock (_lock)
        {
            if (_retired) return null;
            if (_attempts is not null && !_attempts.TryTake(now * TimeSpan.TicksPerMillisecond)) return Admission.TooManyAttempts;
            if (_bannedUntil > now) return Admission.Banned;
            if (policy.MaxConnections > 0 && _active >= policy.MaxConnections) return Admission.TooManyConnections;
            _active++;
            return Admission.Admitted;
        }
    }

    /// <summary>The connection admitted by <see cref="TryAdmit"/> has closed.</summary>
    public void Release()
    {
        lock (_lock)
        {
            _active--;
        }
    }

    /// <summary>Counts one failed authentication; true when this failure starts a ban.</summary>
    public bool RecordAuthFailure(long now)
    {
        if (policy.BanThreshold == 0) return false;
        lock (_lock)
        {
            if (_bannedUntil > now) return false;
            // Failures count within one window of the ban's length, as ejabberd's mod_fail2ban counts them.
            if (_failures == 0 || now - _failureWindowStart >= policy.BanMilliseconds)
            {
                _failures = 0;
                _failureWindowStart = now;
            }
            if (++_failures < policy.BanThreshold) return false;
            _failures = 0;
            _bannedUntil = now + policy.BanMilliseconds;
            return true;
        }
    }

    /// <summary>The moment (TickCount64) the ban ends, or null when the address is not banned.</summary>
    public long? BannedUntil(long now)
    {
        lock (_lock)
        {
            return _bannedUntil > now ? _bannedUntil : null;
        }
    }

    /// <summary>
    /// Retires the record if forgetting it changes no decision: no open connection, no ban, and
    /// (unless <paramref name="evenWithHistory"/>) no attempt or failure still being counted.
    /// </summary>
    public bool TryRetire(long now, bool evenWithHistory)
    {
        lock (_lock)
        {
            if (_retired) return true;
            if (_active > 0 || _bannedUntil > now) return false;
            if (!evenWithHistory)
            {
                if (_attempts is not null && !_attempts.IsFull(now * TimeSpan.TicksPerMillisecond)) return false;
                if (_failures > 0 && now - _failureWindowStart < policy.BanMilliseconds) return false;
            }
            _retired = true;
            return true;
        }
    }
}
