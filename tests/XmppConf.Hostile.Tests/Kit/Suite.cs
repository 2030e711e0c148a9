using System.Net;
using System.Net.Sockets;
using System.Xml.Linq;
using XmppConf.Core.Xml;
using XmppConf.Testing.Xmpp;

namespace XmppConf.Hostile.Tests.Kit;

/// <summary>What every attack test needs: accounts, addresses, the proof of service, stream-error checks.</summary>
internal static class Suite
{
    public const string Password = "correct horse battery staple";

    /// <summary>The legitimate probe (logs in after each attack), the attacker, and the attacker's victims.</summary>
    public static readonly (string User, string Password)[] Accounts =
        [("probe", Password), ("mallory", Password), ("victim", Password), ("owner", Password), ("member", Password)];

    public const string StreamHeader =
        "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>";

    private static readonly XNamespace Client = Ns.Client;
    private static int s_probeCounter;

    /// <summary>
    /// A source address of its own for attack <paramref name="n"/> (127.0.0.10+n): per-IP limits and bans then hit the
    /// attacker, never the probe, which connects from 127.0.0.1.
    /// </summary>
    public static IPAddress Attacker(int n) => IPAddress.Parse($"127.0.0.{10 + n}");

    public static XElement ServerPing() =>
        new(Client + "iq", new XAttribute("type", "get"), new XAttribute("to", "localhost"), new XElement(XName.Get("ping", Ns.Ping)));

    /// <summary>
    /// Starts the class's server with the suite's accounts and warms it up with one login and ping, so that the
    /// first attack's RSS figure is not the JIT's and TLS's first-use cost.
    /// </summary>
    public static async Task<ServerProcess> StartServerAsync(Dictionary<string, string?>? settings = null)
    {
        var server = await ServerProcess.StartAsync(settings ?? [], Accounts);
        try
        {
            // A cold first login on a loaded machine can outlast a short unauthenticated timeout; the JIT is warm after it.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await AssertServesAsync(server);
                    return server;
                }
                catch (XmppTestException) when (attempt < 3)
                {
                }
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The proof after every attack: a fresh legitimate client logs in and gets a ping reply.</summary>
    public static async Task AssertServesAsync(ServerProcess server)
    {
        Assert.IsTrue(server.IsRunning, "The server process died.\n" + server.RecentOutput);
        await using var probe = await server.LoginAsync("probe", Password, "probe-" + Interlocked.Increment(ref s_probeCounter));
        var pong = await probe.IqAsync(ServerPing());
        Assert.AreEqual("result", (string?)pong.Attribute("type"), pong.ToString());
    }

    /// <summary>Waits for the stream error, checks its RFC 6120 §4.9.3 condition, then for the server to close.</summary>
    public static async Task ExpectStreamErrorAsync(TestXmppClient client, string condition, TimeSpan? timeout = null)
    {
        var error = await client.ReceiveStreamErrorAsync(timeout ?? TimeSpan.FromSeconds(15));
        Assert.AreEqual(condition, TestXmppClient.GetErrorCondition(error), client.DescribeState());
        await client.WaitClosedAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Opens the stream from an attacker address, plaintext (pre-TLS, pre-auth).</summary>
    public static async Task<TestXmppClient> OpenUnauthenticatedAsync(ServerProcess server, int attacker)
    {
        var client = await server.ConnectAsync(Attacker(attacker));
        await client.OpenStreamAsync();
        return client;
    }

    /// <summary>
    /// Writes <paramref name="chunks"/> until the server closes the connection (as it should, partway) or all are
    /// sent; returns the bytes written. Write errors after the server's close are the expected end.
    /// </summary>
    public static async Task<long> SendUntilClosedAsync(TestXmppClient client, IEnumerable<byte[]> chunks, TimeSpan? limit = null)
    {
        using var deadline = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(30));
        long sent = 0;
        try
        {
            foreach (var chunk in chunks)
            {
                if (client.IsClosed) break;
                await client.SendRawAsync(chunk, deadline.Token);
                sent += chunk.Length;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The server hung up on us mid-attack.
        }
        return sent;
    }

    /// <summary><paramref name="total"/> bytes of <paramref name="fill"/> in chunks of 64 KiB.</summary>
    public static IEnumerable<byte[]> Repeat(byte fill, long total, int chunk = 65536)
    {
        var block = new byte[chunk];
        Array.Fill(block, fill);
        for (long left = total; left > 0; left -= chunk)
        {
            yield return left >= chunk ? block : block[..(int)left];
        }
    }

    /// <summary><paramref name="unit"/> repeated <paramref name="count"/> times, in chunks of about 64 KiB.</summary>
    public static IEnumerable<byte[]> Repeat(string unit, int count)
    {
        var perChunk = Math.Max(1, 65536 / unit.Length);
        var block = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(unit, perChunk)));
        for (var left = count; left > 0; left -= perChunk)
        {
            yield return left >= perChunk ? block : System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(unit, left)));
        }
    }

    public static bool IsMessageFrom(XElement e, string? fromPrefix = null) =>
        e.Name == Client + "message" && (fromPrefix is null || ((string?)e.Attribute("from"))?.StartsWith(fromPrefix, StringComparison.Ordinal) == true);
}
