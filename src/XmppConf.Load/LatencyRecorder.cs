using System.Diagnostics;

namespace XmppConf.Load;

/// <summary>Delivery latencies of one connection (only its reader writes), merged at the end.</summary>
internal sealed class LatencyRecorder
{
    private readonly List<long> _ticks = new(1024);

    public int Count => _ticks.Count;

    public void Add(long sentTimestamp) => _ticks.Add(Stopwatch.GetTimestamp() - sentTimestamp);

    /// <summary>p50, p99 and max in milliseconds over all recorders; zeros when nothing arrived.</summary>
    public static (double P50, double P99, double Max) Summarise(IEnumerable<LatencyRecorder> recorders)
    {
        var all = new List<long>();
        foreach (var r in recorders) all.AddRange(r._ticks);
        if (all.Count == 0) return (0, 0, 0);
        all.Sort();
        return (Ms(all[(int)(0.50 * (all.Count - 1))]), Ms(all[(int)(0.99 * (all.Count - 1))]), Ms(all[^1]));
    }

    private static double Ms(long ticks) => Math.Round(ticks * 1000.0 / Stopwatch.Frequency, 3);
}
