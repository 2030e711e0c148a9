using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Xml.Linq;
using System.Text;
using XmppConf.Hostile.Tests.Kit;
using XmppConf.Testing.Xmpp;

namespace XmppConf.Hostile.Tests;

/// <summary>
/// Slow-loris: connections that send just enough to look alive and never finish (RFC 6120 §13.12). Trickled bytes
/// must not extend the unauthenticated deadline (Limits:UnauthenticatedTimeoutSeconds, 5 s here: short, yet long enough for a cold first login on a busy CI machine): the stream ends
/// with &lt;connection-timeout/&gt; (§4.9.3.4) counted from connect.
/// </summary>
[TestClass]
public sealed class SlowLorisTests
{
    private const int TimeoutSeconds = 5;
    private static ServerProcess _server = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _) =>
        _server = await Suite.StartServerAsync(new Dictionary<string, string?>
        {
            ["Limits:UnauthenticatedTimeoutSeconds"] = TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    [ClassCleanup]
    public static async Task StopAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    [TestMethod, Timeout(60_000)]
    public async Task HeaderThenUnclosedTagsTrickled_ConnectionTimeoutFromConnect()
    {
        var clock = Stopwatch.StartNew();
        await using var attacker = await Suite.OpenUnauthenticatedAsync(_server, 1);
        var trickle = TrickleAsync(attacker);
        await Suite.ExpectStreamErrorAsync(attacker, "connection-timeout", TimeSpan.FromSeconds(TimeoutSeconds + 8));
        var elapsed = clock.Elapsed;
        TestContext.WriteLine($"closed after {elapsed.TotalSeconds:0.0} s, {await trickle} bytes trickled");
        Assert.IsTrue(elapsed < TimeSpan.FromSeconds(TimeoutSeconds + 4), $"the deadline was extended by trickled bytes: {elapsed}");
        await Suite.AssertServesAsync(_server);
    }

    /// <summary>The deadline covers authentication and binding: a client that authenticated but never binds is cut off too.</summary>
    [TestMethod, Timeout(60_000)]
    public async Task AuthenticatedNeverBinds_TrickledTags_ConnectionTimeout()
    {
        await using var attacker = await Suite.OpenUnauthenticatedAsync(_server, 2);
        await attacker.StartTlsAsync();
        await attacker.AuthenticateAsync("mallory", Suite.Password);
        _ = TrickleAsync(attacker);
        await Suite.ExpectStreamErrorAsync(attacker, "connection-timeout", TimeSpan.FromSeconds(TimeoutSeconds + 8));
    }

    /// <summary>
    /// A hundred slow connections at once, from ten addresses: all time out, a legitimate client logs in while
    /// they hang, and memory comes back.
    /// </summary>
    [TestMethod, Timeout(90_000)]
    public async Task HundredConcurrentSlowLoris_AllTimedOutServerServesMeanwhile()
    {
        var rss = RssWatch.Start(_server, "100 slow-loris connections");
        var attackers = new List<TestXmppClient>();
        try
        {
            for (var i = 0; i < 100; i++)
            {
                var attacker = await _server.ConnectAsync(Suite.Attacker(10 + (i % 10)));
                attackers.Add(attacker);
                await attacker.SendRawAsync(Suite.StreamHeader + "<message><body>");
            }
            var trickles = attackers.Select(TrickleAsync).ToList();
            // Served while they hang.
            await Suite.AssertServesAsync(_server);
            foreach (var attacker in attackers)
            {
                await Suite.ExpectStreamErrorAsync(attacker, "connection-timeout", TimeSpan.FromSeconds(TimeoutSeconds + 20));
            }
            await Task.WhenAll(trickles);
        }
        finally
        {
            foreach (var attacker in attackers) await attacker.DisposeAsync();
        }
        await Suite.AssertServesAsync(_server);
        await rss.AssertBoundedAsync(TestContext);
    }

    /// <summary>
    /// Silent after a stream restart (after TLS, after SASL): the timeout's error belongs to the new stream, so the
    /// server must open that stream with a header first (RFC 6120 §4.9.1.1) — it used to send a bare
    /// &lt;stream:error/&gt; that the client's reset parser could not read.
    /// </summary>
    [DataTestMethod, Timeout(60_000)]
    [DataRow(false, DisplayName = "silent after TLS")]
    [DataRow(true, DisplayName = "silent after SASL success")]
    public async Task SilentAfterStreamRestart_ConnectionTimeoutInAFreshStream(bool authenticate)
    {
        using var tcp = new TcpClient(new IPEndPoint(Suite.Attacker(3), 0));
        await tcp.ConnectAsync(IPAddress.Loopback, _server.C2sPort);
        var plain = tcp.GetStream();
        await plain.WriteAsync(Encoding.UTF8.GetBytes(Suite.StreamHeader));
        await ReadUntilAsync(plain, "</stream:features>");
        await plain.WriteAsync(Encoding.UTF8.GetBytes("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"));
        await ReadUntilAsync(plain, "<proceed");
        await using var tls = new SslStream(plain, leaveInnerStreamOpen: true, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("localhost");
        string fresh;
        if (authenticate)
        {
            await tls.WriteAsync(Encoding.UTF8.GetBytes(Suite.StreamHeader));
            await ReadUntilAsync(tls, "</stream:features>");
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0mallory\0" + Suite.Password));
            await tls.WriteAsync(Encoding.UTF8.GetBytes($"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{credentials}</auth>"));
            var all = await ReadUntilAsync(tls, "</stream:stream>");
            var success = all.IndexOf("<success", StringComparison.Ordinal);
            Assert.IsTrue(success >= 0, all);
            var header = all.IndexOf("<stream:stream", success, StringComparison.Ordinal);
            Assert.IsTrue(header >= 0, "no stream header after <success/>: " + all);
            fresh = all[header..];
        }
        else
        {
            fresh = (await ReadUntilAsync(tls, "</stream:stream>")).TrimStart();
            Assert.IsTrue(fresh.StartsWith("<stream:stream", StringComparison.Ordinal) || fresh.StartsWith("<?xml", StringComparison.Ordinal), fresh);
        }
        var document = XElement.Parse(fresh);
        Assert.AreEqual("connection-timeout", document.Elements().Single().Elements().First().Name.LocalName, fresh);
    }

    private static async Task<string> ReadUntilAsync(Stream stream, string marker, string already = "")
    {
        var text = new StringBuilder(already);
        var buffer = new byte[4096];
        while (!text.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0) Assert.Fail($"Connection closed before '{marker}': {text}");
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        return text.ToString();
    }

    /// <summary>One byte every 200 ms of ever deeper, never-closed tags ("&lt;t&gt;&lt;t&gt;…"), until the server hangs up.</summary>
    private static async Task<int> TrickleAsync(TestXmppClient attacker)
    {
        var bytes = Encoding.UTF8.GetBytes("<t>");
        var sent = 0;
        while (!attacker.IsClosed && sent < 500)
        {
            try
            {
                await attacker.SendRawAsync(bytes.AsMemory(sent % bytes.Length, 1));
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException)
            {
                break;
            }
            sent++;
            await Task.Delay(200);
        }
        return sent;
    }
}
