using System.Diagnostics;

namespace XmppConf.Load.Scenarios;

/// <summary>
/// "join-storm": user0 creates one room; the other U-1 logged-in users then send their joins at
/// once. Measures the time until every joiner has its self-presence and the presence volume the
/// storm causes (each join is broadcast to everyone already in, so it grows with U²).
/// </summary>
internal static class JoinStormScenario
{
    public static async Task<Dictionary<string, object?>> RunAsync(LoadOptions o, CancellationToken ct)
    {
        if (o.Users < 2) throw new LoadException("join-storm needs --users of at least 2.");
        var room = $"storm{Environment.ProcessId}@{o.MucDomain}";
        var connections = await Fleet.LoginAsync(o, o.FirstUser, o.Users, ct).ConfigureAwait(false);
        var occupants = new Occupant[o.Users];
        try
        {
            for (var i = 0; i < o.Users; i++)
            {
                occupants[i] = new Occupant(connections[i], room, "n" + i);
                occupants[i].StartReader(ct);
            }
            await Rooms.CreateAsync(occupants[0], ct).ConfigureAwait(false);

            var before = ServerSample.Read(o.ServerPid);
            var stanzasBefore = Sum(occupants);
            var start = Stopwatch.GetTimestamp();
            var allJoined = await Rooms.JoinAllAsync(occupants[1..], TimeSpan.FromSeconds(o.JoinTimeout), ct).ConfigureAwait(false);
            var elapsed = Fleet.Seconds(start);
            var joined = occupants[1..].Count(x => x.Joined.Task.IsCompletedSuccessfully);
            var stanzasAtDone = Sum(occupants) - stanzasBefore;
            // Broadcasts of the last joins may still be on their way to earlier occupants.
            await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            var after = ServerSample.Read(o.ServerPid);
            var stanzasTotal = Sum(occupants) - stanzasBefore;

            var r = new Dictionary<string, object?>
            {
                ["scenario"] = "join-storm",
                ["users"] = o.Users,
                ["joiners"] = o.Users - 1,
                // A server too slow for the storm still gets a row: how far it got by --join-timeout.
                ["all_joined_seconds"] = allJoined ? Fleet.R(elapsed) : null,
                ["joined"] = joined,
                ["join_timeout_s"] = allJoined ? null : o.JoinTimeout,
                ["stanzas_received_until_all_joined"] = stanzasAtDone,
                ["stanzas_received_total"] = stanzasTotal,
            };
            if (before is { } b && after is { } a)
            {
                r["server_cpu_s"] = Fleet.R(a.CpuSeconds - b.CpuSeconds, 2);
                r["server_cpu_us_per_stanza"] = stanzasTotal == 0 ? null : Fleet.R((a.CpuSeconds - b.CpuSeconds) * 1e6 / stanzasTotal, 1);
                r["server_rss_delta_kb"] = a.RssKb - b.RssKb;
            }
            return r;
        }
        finally
        {
            await Fleet.CloseAsync(connections).ConfigureAwait(false);
        }
    }

    private static long Sum(Occupant[] occupants)
    {
        long n = 0;
        foreach (var o in occupants) n += o.Stanzas;
        return n;
    }
}
