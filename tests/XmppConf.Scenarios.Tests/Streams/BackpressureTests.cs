using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Server.Sessions;
using XmppConf.Testing;

namespace XmppConf.Scenarios.Tests.Streams;

/// <summary>The bounded outbound queue (Limits:OutboundQueueBytes), with default timeouts so only the queue can cut the reader off.</summary>
[TestClass]
public sealed class BackpressureTests
{
    private static LoopbackServer _server = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _)
    {
        _server = await LoopbackServer.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:MaxStanzaBytes"] = "8192",
            ["Limits:OutboundQueueBytes"] = "65536",
            // The slow reader authenticates over a raw socket, so allow PLAIN without TLS here.
            ["Tls:RequireStartTls"] = "false",
            ["Tls:AllowPlainWithoutTls"] = "true",
        });
        await _server.AddUserAsync("flood", "pw");
        await _server.AddUserAsync("sink", "pw");
    }

    [ClassCleanup]
    public static async Task StopAsync() => await _server.DisposeAsync();

    /// <summary>A client that stops reading is disconnected once its queue passes the bound; the sender is unaffected.</summary>
    [TestMethod, Timeout(60_000)]
    public async Task SlowReader_QueueOverflows_DisconnectedSenderStillServed()
    {
        using var sink = new TcpClient();
        await sink.ConnectAsync(_server.Host, _server.C2sPort);
        sink.ReceiveBufferSize = 4096;
        var stream = sink.GetStream();
        async Task Send(string xml) => await stream.WriteAsync(Encoding.UTF8.GetBytes(xml));
        const string header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>";
        await Send(header);
        await Send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + Convert.ToBase64String(Encoding.UTF8.GetBytes("\0sink\0pw")) + "</auth>");
        await ReadUntilAsync(stream, "<success");
        await Send(header);
        await Send("<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>r</resource></bind></iq><presence/>");
        await ReadUntilAsync(stream, "sink@localhost/r</jid>");
        Assert.IsFalse(IsSinkGone(), "the sink is bound before the flood");
        // From here the sink never reads again.

        await using var flood = await _server.LoginAsync("flood", "pw", "f");
        var body = new string('x', 4000);
        var bounced = false;
        for (var i = 0; i < 2000 && !bounced; i++)
        {
            await flood.SendAsync(Xmpp.Message("sink@localhost/r", body));
            if (i % 50 == 49)
            {
                // Once the sink is gone, messages to its full JID fall back to offline storage or bounce.
                var pong = await flood.IqAsync(Xmpp.ServerPing());
                Assert.AreEqual("result", (string?)pong.Attribute("type"), "the sender keeps being served");
                bounced = IsSinkGone();
            }
        }
        Assert.IsTrue(bounced, "the non-reading client was disconnected");
    }

    /// <summary>Reads during set-up only, until the server has answered the step.</summary>
    private static async Task ReadUntilAsync(NetworkStream stream, string marker)
    {
        var seen = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!seen.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var n = await stream.ReadAsync(buffer, timeout.Token);
            if (n == 0) Assert.Fail("server closed during set-up: " + seen);
            seen.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
    }

    private static bool IsSinkGone() =>
        _server.Services.GetRequiredService<LocalSessionTable>().Find(XmppConf.Core.Addressing.Jid.Parse("sink@localhost/r")) is null;
}
