using System.Diagnostics;

namespace XmppConf.Hostile.Tests.Kit;

/// <summary>
/// The server's resident memory before an attack and after it, with a settling wait: the .NET GC returns
/// memory lazily, so growth is judged on the lowest reading within a few seconds, not the first.
/// </summary>
internal sealed class RssWatch
{
    /// <summary>Default bound on growth: generous, since an unbounded attack (a 10 MB stanza buffered, a billion
    /// entities expanded, a socket per connection never freed) costs far more.</summary>
    public const long DefaultMaxGrowthBytes = 40L << 20;

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(4);

    private readonly ServerProcess _server;
    private readonly string _attack;

    private RssWatch(ServerProcess server, string attack)
    {
        _server = server;
        _attack = attack;
        Before = server.RssBytes();
    }

    public long Before { get; }

    public static RssWatch Start(ServerProcess server, string attack) => new(server, attack);

    /// <summary>Fails unless the RSS comes back within <paramref name="maxGrowthBytes"/> of the reading before the attack.</summary>
    public async Task AssertBoundedAsync(TestContext? context, long maxGrowthBytes = DefaultMaxGrowthBytes)
    {
        var peak = 0L;
        var lowest = long.MaxValue;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.IsTrue(_server.IsRunning, $"{_attack}: the server process died.\n{_server.RecentOutput}");
            var now = _server.RssBytes();
            peak = Math.Max(peak, now);
            lowest = Math.Min(lowest, now);
            if (lowest - Before <= maxGrowthBytes || clock.Elapsed > Settle) break;
            await Task.Delay(250).ConfigureAwait(false);
        }
        var line = $"RSS {_attack}: before {Mb(Before)} MB, after {Mb(lowest)} MB (growth {Mb(lowest - Before)} MB, bound {Mb(maxGrowthBytes)} MB)";
        context?.WriteLine(line);
        Console.WriteLine(line);
        Assert.IsTrue(lowest - Before <= maxGrowthBytes, line + "\n" + _server.RecentOutput);
    }

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}
