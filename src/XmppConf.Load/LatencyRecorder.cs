using System.Diagnostics;

namespace XmppConf.Load;

/// <summary>
/// Delivery latencies of one connection. Its reader adds while a rate step is being summarised,
/// so access is locked (uncontended almost always, a few ns per message).
/// </summary>
internal sealed class LatencyRecorder
{
    private readonly List<long> _ticks = new(1024);

    public int Count
    {
        get
        {
            lock (_ticks) return _ticks.Count;
        }
    }

    public void Add(long sentTimestamp)
    {
        var latency = Stopwatch.GetTimestamp() - sentTimestamp;
        lock (_ticks) _ticks.Add(latency);
    }

    /// <summary>p50, p99 and max in milliseconds over all recorders; zeros when nothing arrived.</summary>
    public static (double P50, double P99, double Max) Summarise(IEnumerable<LatencyRecorder> recorders) =>
        Summarise(recorders.Select(r => (r, 0)));

    /// <summary>The same, over each recorder's entries from the given index on (one rate step).</summary>
    public static (double P50, double P99, double Max) Summarise(IEnumerable<(LatencyRecorder Recorder, int From)> ranges)
    {
        var all = new List<long>();
        foreach (var (r, from) in ranges)
        {
            lock (r._ticks)
            {
                if (from < r._ticks.Count) all.AddRange(r._ticks.GetRange(from, r._ticks.Count - from));
            }
        }
        if (all.Count == 0) return (0, 0, 0);
        all.Sort();
        return (Ms(all[(int)(0.50 * (all.Count - 1))]), Ms(all[(int)(0.99 * (all.Count - 1))]), Ms(all[^1]));
    }

    private static double Ms(long ticks) => Math.Round(ticks * 1000.0 / Stopwatch.Frequency, 3);
}
