using System.Diagnostics;

namespace XmppConf.Load.Scenarios;

/// <summary>
/// "register": creates accounts U0..U(N-1) by in-band registration (XEP-0077 §3.1) with
/// --concurrency in parallel. Set-up for peer servers whose own tools start a process per
/// account; an account that exists already (§3.1: &lt;conflict/&gt;) counts as existing, not failed.
/// </summary>
internal static class RegisterScenario
{
    public static async Task<Dictionary<string, object?>> RunAsync(LoadOptions o, CancellationToken ct)
    {
        using var gate = new SemaphoreSlim(o.Concurrency);
        var created = 0;
        var existed = 0;
        var start = Stopwatch.GetTimestamp();
        var tasks = new Task[o.Users];
        for (var i = 0; i < o.Users; i++)
        {
            var user = o.UserPrefix + (o.FirstUser + i);
            tasks[i] = Task.Run(async () =>
            {
                await gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    if (await RegisterAsync(o, user, ct).ConfigureAwait(false)) Interlocked.Increment(ref created);
                    else Interlocked.Increment(ref existed);
                }
                finally
                {
                    gate.Release();
                }
            }, ct);
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
        var elapsed = Fleet.Seconds(start);
        return new Dictionary<string, object?>
        {
            ["scenario"] = "register",
            ["users"] = o.Users,
            ["created"] = created,
            ["existed"] = existed,
            ["seconds"] = Fleet.R(elapsed),
            ["registrations_per_s"] = Fleet.R(o.Users / elapsed, 1),
        };
    }

    /// <summary>True when created, false when the account existed; throws on any other answer.</summary>
    private static async Task<bool> RegisterAsync(LoadOptions o, string user, CancellationToken ct)
    {
        var c = await XmppConnection.ConnectAsync(o, ct).ConfigureAwait(false);
        try
        {
            await ClientLogin.OpenStreamAsync(c, o.Domain, ct).ConfigureAwait(false);
            await c.SendAsync($"<iq type='set' id='reg'><query xmlns='jabber:iq:register'><username>{user}</username><password>{o.Password}</password></query></iq>", ct).ConfigureAwait(false);
            try
            {
                await ClientLogin.ReadIqAsync(c, "reg", ct).ConfigureAwait(false);
                return true;
            }
            catch (LoadException ex) when (ex.Message.Contains("<conflict", StringComparison.Ordinal))
            {
                return false;
            }
        }
        finally
        {
            await Fleet.CloseAsync([c]).ConfigureAwait(false);
        }
    }
}
