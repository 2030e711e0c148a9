using System.Diagnostics;

namespace XmppConf.Load.Scenarios;

/// <summary>
/// "muc-fanout": R rooms with U occupants each (R×U accounts). Every occupant sends groupchat at
/// a fixed rate for --duration seconds with a Stopwatch timestamp in the body; every occupant's
/// copy (the sender's echo included, XEP-0045 §7.4) counts as one delivery. With --rate-steps or
/// --step-until-break the same occupants run one step per rate, and the result names the highest
/// rate that was sustained (no more loss than --max-loss, p99 within --max-p99-ms, the tool kept
/// the pace, nobody disconnected).
/// </summary>
internal static class MucFanoutScenario
{
    private static readonly TimeSpan MaxDrain = TimeSpan.FromSeconds(10);

    /// <summary>Below this share of the target send rate the tool, not the server, is the limit.</summary>
    private const double ToolKeptUpShare = 0.95;

    public static async Task<Dictionary<string, object?>> RunAsync(LoadOptions o, CancellationToken ct)
    {
        var perRoom = o.Users;
        var total = o.Rooms * perRoom;
        var connections = await Fleet.LoginAsync(o, o.FirstUser, total, ct).ConfigureAwait(false);
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

            var stepping = o.RateSteps.Count > 0 || o.StepUntilBreak;
            var steps = new List<Dictionary<string, object?>>();
            Dictionary<string, object?>? best = null;
            string? breakReason = null;
            for (var s = 0; ; s++)
            {
                double rate;
                if (o.RateSteps.Count > 0)
                {
                    if (s >= o.RateSteps.Count) break;
                    rate = o.RateSteps[s];
                }
                else
                {
                    if (s >= (stepping ? o.MaxSteps : 1)) break;
                    rate = o.Rate * Math.Pow(2, s);
                }
                var step = await MeasureStepAsync(occupants, perRoom, rate, o, ct).ConfigureAwait(false);
                steps.Add(step);
                if (stepping) Console.Error.WriteLine($"muc-fanout: rate {rate}/s per occupant: {step["delivered_per_s"]} deliveries/s, loss {step["loss"]}, p99 {step["latency_ms_p99"]} ms");
                breakReason = BreakReason(step, o);
                if (breakReason is not null) break;
                best = step;
            }

            // The flat fields are those of the highest sustained step (the only one without stepping,
            // the first when none held), so one-rate runs keep the shape scripts already read.
            var result = new Dictionary<string, object?>
            {
                ["scenario"] = "muc-fanout",
                ["rooms"] = o.Rooms,
                ["occupants_per_room"] = perRoom,
                ["duration_s"] = o.Duration,
            };
            foreach (var (key, value) in best ?? steps[0]) result[key] = value;
            if (stepping)
            {
                result["highest_sustained_rate_per_occupant"] = best?["rate_per_occupant"];
                result["highest_sustained_delivered_per_s"] = best?["delivered_per_s"];
                result["break_reason"] = breakReason;
                result["thresholds"] = new Dictionary<string, object?> { ["max_loss"] = o.MaxLoss, ["max_p99_ms"] = o.MaxP99Ms };
                result["steps"] = steps;
            }
            return result;
        }
        finally
        {
            await Fleet.CloseAsync(connections).ConfigureAwait(false);
        }
    }

    private static async Task<Dictionary<string, object?>> MeasureStepAsync(Occupant[] occupants, int perRoom, double rate, LoadOptions o, CancellationToken ct)
    {
        var deliveredBefore = Delivered(occupants);
        var latencyFrom = occupants.Select(x => x.Latencies.Count).ToArray();
        var toolBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var before = ServerSample.Read(o.ServerPid);
        var start = Stopwatch.GetTimestamp();
        var sent = await SendAsync(occupants, rate, o.Duration, ct).ConfigureAwait(false);
        var sendSeconds = Fleet.Seconds(start);
        var expected = sent * perRoom;
        var drainStart = Stopwatch.GetTimestamp();
        while (Delivered(occupants) - deliveredBefore < expected && Stopwatch.GetElapsedTime(drainStart) < MaxDrain)
            await Task.Delay(20, ct).ConfigureAwait(false);
        var windowSeconds = Fleet.Seconds(start);
        var after = ServerSample.Read(o.ServerPid);
        var toolCpu = Process.GetCurrentProcess().TotalProcessorTime - toolBefore;
        var delivered = Delivered(occupants) - deliveredBefore;
        var (p50, p99, max) = LatencyRecorder.Summarise(occupants.Select((x, i) => (x.Latencies, latencyFrom[i])));

        var step = new Dictionary<string, object?>
        {
            ["rate_per_occupant"] = rate,
            ["target_sent_per_s"] = Fleet.R(rate * occupants.Length, 1),
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
            ["step_tool_cpu_s"] = Fleet.R(toolCpu.TotalSeconds),
        };
        if (before is { } b && after is { } a)
        {
            step["server_cpu_s"] = Fleet.R(a.CpuSeconds - b.CpuSeconds, 2);
            step["server_cpu_us_per_delivered"] = delivered == 0 ? null : Fleet.R((a.CpuSeconds - b.CpuSeconds) * 1e6 / delivered, 1);
            step["server_rss_kb"] = a.RssKb;
        }
        return step;
    }

    /// <summary>Why this step does not count as sustained, or null when it does.</summary>
    private static string? BreakReason(Dictionary<string, object?> step, LoadOptions o)
    {
        if ((int)step["disconnected"]! > 0) return "disconnected";
        if ((double)step["loss"]! > o.MaxLoss) return "loss";
        if ((double)step["latency_ms_p99"]! > o.MaxP99Ms) return "p99";
        // One message of slack per occupant: the pacing floors, so a short step is one short.
        var occupants = (double)step["target_sent_per_s"]! / (double)step["rate_per_occupant"]!;
        if ((double)step["sent_per_s"]! + occupants / o.Duration < ToolKeptUpShare * (double)step["target_sent_per_s"]!) return "tool could not send at this rate";
        return null;
    }

    /// <summary>
    /// One loop paces every occupant: occupant i has sent floor(t·rate + i/n) messages at time t,
    /// which spreads sends evenly instead of bursting all occupants on the same tick.
    /// </summary>
    private static async Task<long> SendAsync(Occupant[] occupants, double rate, double duration, CancellationToken ct)
    {
        var n = occupants.Length;
        var sentBy = new long[n];
        long sent = 0;
        var start = Stopwatch.GetTimestamp();
        while (true)
        {
            var t = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (t >= duration) break;
            for (var i = 0; i < n; i++)
            {
                var due = (long)(t * rate + (double)i / n);
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
