using System.Diagnostics;

namespace XmppConf.Load.Scenarios;

/// <summary>
/// "login": N full logins (TCP, SASL, bind) as fast as --concurrency allows, then logout.
/// "idle-connections": the same N sessions held for --duration seconds to see what an idle connection costs.
/// </summary>
internal static class LoginScenario
{
    public static async Task<Dictionary<string, object?>> RunAsync(LoadOptions o, bool holdIdle, CancellationToken ct)
    {
        var before = ServerSample.Read(o.ServerPid);
        var start = Stopwatch.GetTimestamp();
        var connections = await Fleet.LoginAsync(o, o.FirstUser, o.Users, ct).ConfigureAwait(false);
        var elapsed = Fleet.Seconds(start);
        var afterLogin = ServerSample.Read(o.ServerPid);
        ServerSample? afterIdle = null;
        if (holdIdle)
        {
            await Task.Delay(TimeSpan.FromSeconds(o.Duration), ct).ConfigureAwait(false);
            afterIdle = ServerSample.Read(o.ServerPid);
        }
        await Fleet.CloseAsync(connections).ConfigureAwait(false);

        var r = new Dictionary<string, object?>
        {
            ["scenario"] = holdIdle ? "idle-connections" : "login",
            ["users"] = o.Users,
            ["concurrency"] = o.Concurrency,
            ["login_seconds"] = Fleet.R(elapsed),
            ["logins_per_s"] = Fleet.R(o.Users / elapsed, 1),
        };
        if (before is { } b && afterLogin is { } a)
        {
            var settled = afterIdle ?? a;
            r["server_rss_before_kb"] = b.RssKb;
            r["server_rss_after_kb"] = settled.RssKb;
            r["server_rss_per_conn_kb"] = Fleet.R((settled.RssKb - b.RssKb) / (double)o.Users, 1);
            r["server_cpu_ms_per_login"] = Fleet.R((a.CpuSeconds - b.CpuSeconds) * 1000 / o.Users);
            if (afterIdle is { } i) r["server_cpu_s_while_idle"] = Fleet.R(i.CpuSeconds - a.CpuSeconds, 2);
        }
        if (holdIdle) r["idle_seconds"] = o.Duration;
        return r;
    }
}
