using System.Globalization;

namespace XmppConf.Load;

/// <summary>Resident memory and CPU time of the server process, read from /proc (Linux only).</summary>
internal readonly record struct ServerSample(long RssKb, double CpuSeconds)
{
    // proc(5): utime and stime are in clock ticks; USER_HZ is 100 on every mainstream Linux.
    private const double TicksPerSecond = 100.0;

    public static ServerSample? Read(int? pid)
    {
        if (pid is not { } p) return null;
        try
        {
            long rss = 0;
            foreach (var line in File.ReadLines($"/proc/{p}/status"))
            {
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
                rss = long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                break;
            }
            var stat = File.ReadAllText($"/proc/{p}/stat");
            // The command name may hold spaces and ')': fields are counted after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields 14 and 15 of proc(5) are indexes 11 and 12 after "pid (comm)".
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return new ServerSample(rss, ticks / TicksPerSecond);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
