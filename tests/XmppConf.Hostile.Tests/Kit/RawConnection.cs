using System.Net;
using System.Net.Sockets;
using System.Text;

namespace XmppConf.Hostile.Tests.Kit;

/// <summary>A bare socket for floods: far cheaper than the test client when thousands are opened.</summary>
internal static class RawConnection
{
    /// <summary>What became of one flood connection.</summary>
    public enum Outcome
    {
        /// <summary>The server answered the header with its stream features.</summary>
        Served,

        /// <summary>The server refused: closed or reset without features, or sent a stream error first.</summary>
        Refused,

        /// <summary>Nothing within 10 s: neither served nor refused.</summary>
        NoAnswer,
    }

    /// <summary>Connects from <paramref name="source"/>, sends a stream header and reads until features, an error or close.</summary>
    /// <param name="hold">When given, the socket is left open and handed back here instead of being closed.</param>
    public static async Task<(Outcome Outcome, string Reply)> OpenAsync(ServerProcess server, IPAddress source, List<Socket>? hold = null, CancellationToken ct = default)
    {
        var outer = ct;
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var keep = false;
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        patience.CancelAfter(TimeSpan.FromSeconds(10));
        ct = patience.Token;
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.C2sPort), ct);
            await socket.SendAsync(Encoding.UTF8.GetBytes(Suite.StreamHeader), ct);
            var reply = new StringBuilder();
            var buffer = new byte[4096];
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, ct);
                if (read == 0) return (Outcome.Refused, reply.ToString());
                reply.Append(Encoding.UTF8.GetString(buffer, 0, read));
                var text = reply.ToString();
                if (text.Contains("<stream:error", StringComparison.Ordinal)) return (Outcome.Refused, text);
                if (text.Contains("</stream:features>", StringComparison.Ordinal))
                {
                    if (hold is not null)
                    {
                        lock (hold) hold.Add(socket);
                        keep = true;
                    }
                    return (Outcome.Served, text);
                }
            }
        }
        catch (OperationCanceledException) when (patience.IsCancellationRequested && !outer.IsCancellationRequested)
        {
            return (Outcome.NoAnswer, "");
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.ConnectionAborted)
        {
            return (Outcome.Refused, ex.SocketErrorCode.ToString());
        }
        finally
        {
            if (!keep) socket.Dispose();
        }
    }

    public static void CloseAll(List<Socket> sockets)
    {
        lock (sockets)
        {
            foreach (var socket in sockets) socket.Dispose();
            sockets.Clear();
        }
    }

    /// <summary>Runs <paramref name="count"/> attempts with at most <paramref name="parallel"/> in flight; stops early when cancelled.</summary>
    public static async Task<List<Outcome>> RunManyAsync(int count, int parallel, Func<int, Task<(Outcome Outcome, string Reply)>> attempt, CancellationToken ct = default)
    {
        var outcomes = new List<Outcome>(count);
        var next = -1;
        async Task WorkerAsync()
        {
            while (!ct.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= count) return;
                try
                {
                    var (outcome, _) = await attempt(i);
                    lock (outcomes) outcomes.Add(outcome);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => Task.Run(WorkerAsync)));
        return outcomes;
    }
}
