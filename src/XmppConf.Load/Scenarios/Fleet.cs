using System.Diagnostics;

namespace XmppConf.Load.Scenarios;

/// <summary>Logs many accounts in with bounded parallelism and closes them again.</summary>
internal static class Fleet
{
    /// <summary>Logs in accounts first..first+count-1; fails when any login fails.</summary>
    public static async Task<XmppConnection[]> LoginAsync(LoadOptions o, int first, int count, CancellationToken ct)
    {
        var connections = new XmppConnection[count];
        using var gate = new SemaphoreSlim(o.Concurrency);
        var tasks = new Task[count];
        for (var i = 0; i < count; i++)
        {
            var index = i;
            tasks[i] = Task.Run(async () =>
            {
                await gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    connections[index] = await ClientLogin.LoginAsync(o, o.UserPrefix + (first + index), ct).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            }, ct);
        }
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch
        {
            await CloseAsync(connections).ConfigureAwait(false);
            throw;
        }
        return connections;
    }

    /// <summary>RFC 6120 §4.4: a client ends its stream with the closing tag before the socket goes.</summary>
    public static async Task CloseAsync(IEnumerable<XmppConnection?> connections)
    {
        foreach (var c in connections)
        {
            if (c is null) continue;
            try
            {
                await c.SendAsync("</stream:stream>"u8.ToArray(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (IOException)
            {
            }
            await c.DisposeAsync().ConfigureAwait(false);
        }
    }

    public static double Seconds(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;

    public static double R(double value, int digits = 3) => Math.Round(value, digits);
}
