using System.Diagnostics;

namespace XmppConf.Load.Scenarios;

/// <summary>
/// "muc-fanout": R rooms with U occupants each (R×U accounts). Every occupant sends groupchat at
/// --rate for --duration seconds with a Stopwatch timestamp in the body; every occupant's copy
/// (the sender's echo included, XEP-0045 §7.4) counts as one delivery.
/// </summary>
internal static class MucFanoutScenario
{
    private static readonly TimeSpan MaxDrain = TimeSpan.FromSeconds(10);

    public static async Task<Dictionary<string, object?>> RunAsync(LoadOptions o, CancellationToken ct)
    {
        var perRoom = o.Users;
        var total = o.Rooms * perRoom;
        var connections = await Fleet.LoginAsync(o, 0, total, ct).ConfigureAwait(false);
        var occupants = new Occupant[total];
        try
        {
            for (var r = 0; r < o.Rooms; r++)
            {
                var room = $"fanout{Environment.ProcessId}-{r}@{o.MucDomain}";
                for (var u = 0; u < perRoom; u++)
                {
                    var i = r * perRoom + u;
                    occupants[i] = new Occupant(connections[i], room, "n" + u);
                    occupants[i].StartReader(ct);
                }
                await Rooms.CreateAsync(occupants[r * perRoom], ct).ConfigureAwait(false);
                await Rooms.JoinAllAsync(occupants[(r * perRoom + 1)..((r + 1) * perRoom)], ct).ConfigureAwait(false);
            }
            Console.Error.WriteLine($"muc-fanout: {o.Rooms} rooms x {perRoom} occupants joined");

            var before = ServerSample.Read(o.ServerPid);
            var start = Stopwatch.GetTimestamp();
            var sent = await SendAsync(occupants, o, ct).ConfigureAwait(false);
            var sendSeconds = Fleet.Seconds(start);
            var expected = sent * perRoom;
            var drainStart = Stopwatch.GetTimestamp();
            while (Delivered(occupants) < expected && Stopwatch.GetElapsedTime(drainStart) < MaxDrain)
                await Task.Delay(20, ct).ConfigureAwait(false);
            var windowSeconds = Fleet.Seconds(start);
            var after = ServerSample.Read(o.ServerPid);
            var delivered = Delivered(occupants);
            var (p50, p99, max) = LatencyRecorder.Summarise(occupants.Select(x => x.Latencies));

            var result = new Dictionary<string, object?>
            {
                ["scenario"] = "muc-fanout",
                ["rooms"] = o.Rooms,
                ["occupants_per_room"] = perRoom,
                ["rate_per_occupant"] = o.Rate,
                ["duration_s"] = o.Duration,
                ["sent"] = sent,
                ["sent_per_s"] = Fleet.R(sent / sendSeconds, 1),
                ["expected_deliveries"] = expected,
                ["delivered"] = delivered,
                ["delivered_per_s"] = Fleet.R(delivered / windowSeconds, 1),
                ["loss"] = expected == 0 ? 0 : Fleet.R(1 - delivered / (double)expected, 5),
                ["latency_ms_p50"] = p50,
                ["latency_ms_p99"] = p99,
                ["latency_ms_max"] = max,
                ["disconnected"] = occupants.Count(x => x.Closed),
            };
            if (before is { } b && after is { } a)
            {
                result["server_cpu_s"] = Fleet.R(a.CpuSeconds - b.CpuSeconds, 2);
                result["server_cpu_us_per_delivered"] = delivered == 0 ? null : Fleet.R((a.CpuSeconds - b.CpuSeconds) * 1e6 / delivered, 1);
                result["server_rss_kb"] = a.RssKb;
            }
            return result;
        }
        finally
        {
            await Fleet.CloseAsync(connections).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One loop paces every occupant: occupant i has sent floor(t·rate + i/n) messages at time t,
    /// which spreads sends evenly instead of bursting all occupants on the same tick.
    /// </summary>
    private static async Task<long> SendAsync(Occupant[] occupants, LoadOptions o, CancellationToken ct)
    {
        var n = occupants.Length;
        var sentBy = new long[n];
        long sent = 0;
        var start = Stopwatch.GetTimestamp();
        while (true)
        {
            var t = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (t >= o.Duration) break;
            for (var i = 0; i < n; i++)
            {
                var due = (long)(t * o.Rate + (double)i / n);
                while (sentBy[i] < due && !occupants[i].Closed)
                {
                    await occupants[i].SendTimestampedAsync(ct).ConfigureAwait(false);
                    sentBy[i]++;
                    sent++;
                }
            }
            await Task.Delay(2, ct).ConfigureAwait(false);
        }
        return sent;
    }

    private static long Delivered(Occupant[] occupants)
    {
        long n = 0;
        foreach (var o in occupants) n += o.Delivered;
        return n;
    }
}
