using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XmppConf.Server.Logging;
using XmppConf.Server.Options;

namespace XmppConf.Server.Connections;

/// <summary>
/// Per-IP accounting for every listener: concurrent connections, connection attempts per minute
/// and the failed-authentication ban. Memory is bounded: records that no longer change a decision
/// are swept out, and at <see cref="MaxTrackedAddresses"/> new addresses are admitted untracked
/// rather than refused, so a flood from many addresses cannot lock everyone else out.
/// </summary>
internal sealed class PeerTable
{
    /// <summary>About 200 bytes each: the table stays under ~20 MB however many addresses knock.</summary>
    public const int MaxTrackedAddresses = 100_000;

    private const long SweepIntervalMs = 30_000;
    private readonly ConcurrentDictionary<IPAddress, PeerRecord> _records = new();
    private const long FullSweepIntervalMs = 1_000;
    private readonly PeerPolicy _policy;
    private readonly int _ipv6PrefixLength;
    private readonly ILogger _log;
    private int _count;
    private int _sweeping;
    private long _lastSweep = Environment.TickCount64;
    private long _lastFullWarning;
    private long _lastFullSweep;

    public PeerTable(IOptions<LimitsOptions> limits, IOptions<AuthOptions> auth, ILogger<PeerTable> log)
    {
        _policy = PeerPolicy.From(limits.Value, auth.Value);
        _ipv6PrefixLength = limits.Value.Ipv6PrefixLength;
        _log = log;
    }

    public PeerPolicy Policy => _policy;

    /// <summary>Addresses currently tracked (for tests and diagnostics).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Decides on a new connection from <paramref name="address"/>. When admitted, <paramref name="record"/>
    /// is the record to <see cref="PeerRecord.Release"/> at close (null if the table is full).
    /// </summary>
    public Admission Admit(IPAddress address, out PeerRecord? record)
    {
        address = PeerKey.Of(address, _ipv6PrefixLength);
        var now = Environment.TickCount64;
        while (true)
        {
            if (!_records.TryGetValue(address, out var candidate))
            {
                if (!HasRoom(now))
                {
                    record = null;
                    return Admission.Admitted;
                }
                candidate = new PeerRecord(address, _policy, now);
                if (!_records.TryAdd(address, candidate)) continue; // another connection added it first
                Interlocked.Increment(ref _count);
            }
            if (candidate.TryAdmit(now) is not { } admission) continue; // swept meanwhile: look again
            record = admission == Admission.Admitted ? candidate : null;
            return admission;
        }
    }

    /// <summary>Counts a failed authentication from the record's address; logs when it starts a ban.</summary>
    public void RecordAuthFailure(PeerRecord? record)
    {
        if (record is null) return;
        if (record.RecordAuthFailure(Environment.TickCount64))
        {
            ServerLog.AddressBanned(_log, record.Address.ToString(), _policy.BanMilliseconds / 1000, _policy.BanThreshold);
        }
    }

    public bool IsBanned(PeerRecord? record) => record?.BannedUntil(Environment.TickCount64) is not null;

    private bool HasRoom(long now)
    {
        if (now - Volatile.Read(ref _lastSweep) >= SweepIntervalMs) Sweep(now, evenWithHistory: false);
        if (Volatile.Read(ref _count) < MaxTrackedAddresses) return true;
        // Full: sweep at most once a second, so a flood of new addresses does not make every accept
        // walk the whole table.
        var lastFull = Volatile.Read(ref _lastFullSweep);
        if (now - lastFull >= FullSweepIntervalMs && Interlocked.CompareExchange(ref _lastFullSweep, now, lastFull) == lastFull)
        {
            Sweep(now, evenWithHistory: false);
            if (Volatile.Read(ref _count) >= MaxTrackedAddresses) Sweep(now, evenWithHistory: true);
        }
        if (Volatile.Read(ref _count) < MaxTrackedAddresses) return true;
        WarnFull(now);
        return false;
    }

    /// <summary>Drops records that no longer matter; one sweeper at a time, the others carry on.</summary>
    private void Sweep(long now, bool evenWithHistory)
    {
        if (Interlocked.Exchange(ref _sweeping, 1) != 0) return;
        try
        {
            Volatile.Write(ref _lastSweep, now);
            foreach (var (address, record) in _records)
            {
                if (record.TryRetire(now, evenWithHistory) && _records.TryRemove(new KeyValuePair<IPAddress, PeerRecord>(address, record)))
                {
                    Interlocked.Decrement(ref _count);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    private void WarnFull(long now)
    {
        var last = Volatile.Read(ref _lastFullWarning);
        if ((last != 0 && now - last < SweepIntervalMs) || Interlocked.CompareExchange(ref _lastFullWarning, now, last) != last) return;
        ServerLog.PeerTableFull(_log, MaxTrackedAddresses);
    }
}
