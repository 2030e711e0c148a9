using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Microsoft.Extensions.DependencyInjection;
using XmppConf.Server.Sessions;
using XmppConf.Testing;
using XmppConf.Testing.Xmpp;

namespace XmppConf.Scenarios.Tests.Streams;

/// <summary>Unauthenticated deadline and idle pings, on a server with second-scale timeouts.</summary>
[TestClass]
public sealed class TimeoutTests
{
    private static LoopbackServer _server = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _)
    {
        _server = await LoopbackServer.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:UnauthenticatedTimeoutSeconds"] = "2",
            ["Limits:IdleTimeoutSeconds"] = "1",
            ["Limits:PingTimeoutSeconds"] = "1",
        });
        await _server.AddUserAsync("idle", "pw");
    }

    [ClassCleanup]
    public static async Task StopAsync() => await _server.DisposeAsync();

    [TestMethod, Timeout(20_000)]
    public async Task Unauthenticated_PastDeadline_ConnectionTimeout()
    {
        await using var client = await TestXmppClient.ConnectAsync(_server.Host, _server.C2sPort, _server.Domain);
        await client.OpenStreamAsync();
        // Keepalives do not extend the unauthenticated deadline: keep sending them until the server gives up.
        // Were they to extend it, the loop would run out instead. Sending stops at the close, not at a fixed
        // count, so a slow machine cannot make a keepalive hit the closed socket.
        var keepaliveUntil = DateTime.UtcNow.AddSeconds(10);
        while (!client.IsClosed && !client.ServerClosedStream && DateTime.UtcNow < keepaliveUntil)
        {
            await Task.Delay(300);
            try
            {
                await client.SendRawAsync(" ");
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                break; // the server closed between our check and the send
            }
        }
        Assert.IsTrue(DateTime.UtcNow < keepaliveUntil, "keepalives kept the unauthenticated stream open");
        var error = await client.ReceiveStreamErrorAsync(TimeSpan.FromSeconds(5));
        Assert.AreEqual("connection-timeout", Xmpp.StreamErrorCondition(error));
    }

    [TestMethod, Timeout(20_000)]
    public async Task Bound_Idle_PingedThenKeptWhenAnswered()
    {
        await using var client = await _server.LoginAsync("idle", "pw", "answers");
        var ping = await client.ReceiveAsync(e => e.Element(XName.Get("ping", "urn:xmpp:ping")) is not null, TimeSpan.FromSeconds(5));
        Assert.AreEqual("get", (string?)ping.Attribute("type"));
        await client.SendAsync(new XElement(Xmpp.Client + "iq", new XAttribute("type", "result"), new XAttribute("id", (string)ping.Attribute("id")!), new XAttribute("to", "localhost")));
        // Answered: still served afterwards.
        var pong = await client.IqAsync(Xmpp.ServerPing());
        Assert.AreEqual("result", (string?)pong.Attribute("type"));
    }

    [TestMethod, Timeout(20_000)]
    public async Task Bound_IdleAndSilent_ConnectionTimeout()
    {
        await using var client = await _server.LoginAsync("idle", "pw", "silent");
        var error = await client.ReceiveStreamErrorAsync(TimeSpan.FromSeconds(8));
        Assert.AreEqual("connection-timeout", Xmpp.StreamErrorCondition(error));
    }
}
