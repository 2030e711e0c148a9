using System.Diagnostics;
using System.Net.Sockets;
using XmppConf.Hostile.Tests.Kit;

namespace XmppConf.Hostile.Tests;

/// <summary>
/// Connection floods: many unauthenticated connections held open at once, then ten thousand opened and dropped
/// as fast as possible. The server must stay up, serve a legitimate client, and give the memory back. The
/// per-IP refusal itself is tested in <see cref="ConnectionLimitTests"/> (needs the connection-limits branch).
/// </summary>
[TestClass]
public sealed class FloodTests
{
    private static ServerProcess _server = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _) =>
        _server = await Suite.StartServerAsync();

    [ClassCleanup]
    public static async Task StopAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>1,000 open pre-auth streams from 25 addresses (40 each, under the default 50 per IP).</summary>
    [TestMethod, Timeout(120_000)]
    public async Task ThousandHeldConnections_ServedMeanwhileMemoryReturned()
    {
        var rss = RssWatch.Start(_server, "1000 held connections, after close");
        var held = new List<Socket>();
        try
        {
            var outcomes = await RawConnection.RunManyAsync(1000, 50, i => RawConnection.OpenAsync(_server, Suite.Attacker(100 + (i % 25)), held));
            var served = outcomes.Count(o => o == RawConnection.Outcome.Served);
            var peak = _server.RssBytes();
            TestContext.WriteLine($"{served} of 1000 held open; RSS with them open {peak / 1048576.0:0.0} MB (before {rss.Before / 1048576.0:0.0} MB)");
            Console.WriteLine($"RSS with 1000 pre-auth connections open: {peak / 1048576.0:0.0} MB (before {rss.Before / 1048576.0:0.0} MB)");
            Assert.AreEqual(1000, served, "40 connections per address is within every default limit");
            // A pre-auth connection must be cheap: well under 100 KB each.
            Assert.IsTrue(peak - rss.Before < 100L << 20, $"1000 idle connections cost {(peak - rss.Before) / 1048576.0:0.0} MB");
            await Suite.AssertServesAsync(_server);
        }
        finally
        {
            RawConnection.CloseAll(held);
        }
        await Suite.AssertServesAsync(_server);
        await rss.AssertBoundedAsync(TestContext);
    }

    /// <summary>10,000 connect–header–close cycles, 64 in flight, time-boxed to 40 s.</summary>
    [TestMethod, Timeout(120_000)]
    public async Task TenThousandConnectionFlood_ServerStaysUpMemoryBounded()
    {
        var rss = RssWatch.Start(_server, "10k connection flood");
        var clock = Stopwatch.StartNew();
        using var box = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        var outcomes = await RawConnection.RunManyAsync(10_000, 64, i => RawConnection.OpenAsync(_server, Suite.Attacker(130 + (i % 64)), ct: box.Token), box.Token);
        var line = $"10k flood: {outcomes.Count} connections in {clock.Elapsed.TotalSeconds:0.0} s, {outcomes.Count(o => o == RawConnection.Outcome.Served)} served, {outcomes.Count(o => o == RawConnection.Outcome.Refused)} refused";
        TestContext.WriteLine(line);
        Console.WriteLine(line);
        Assert.IsTrue(outcomes.Count >= 1000, line);
        await Suite.AssertServesAsync(_server);
        await rss.AssertBoundedAsync(TestContext);
    }
}
