using System.Diagnostics;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Testing;

namespace XmppConf.Scenarios.Tests.Connections;

/// <summary>
/// Limits:InboundBytesPerSecond / Limits:InboundBurstBytes: a flooding client is slowed to the rate,
/// not disconnected, loses nothing, and the server keeps serving others. The assertions are lower
/// bounds the server enforces (a ping queued behind the flood cannot be answered before the flood is
/// processed at the rate) with a factor of two of margin, never upper bounds on speed.
/// </summary>
[TestClass]
public sealed class TrafficShapingTests
{
    private const int BytesPerSecond = 16_384;
    private const int Messages = 60;
    private const int BodyLength = 2000;

    [TestMethod, Timeout(90_000)]
    public async Task Flood_OverTheRate_SlowedNotDisconnectedOthersStillServed()
    {
        await using var server = await LoopbackServer.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:InboundBytesPerSecond"] = BytesPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Limits:InboundBurstBytes"] = BytesPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await server.AddUserAsync("flood", "pw");
        await server.AddUserAsync("sink", "pw");
        await server.AddUserAsync("observer", "pw");
        await using var flood = await server.LoginAsync("flood", "pw", "f");
        await using var sink = await server.LoginAsync("sink", "pw", "s");
        await using var observer = await server.LoginAsync("observer", "pw", "o");

        var body = new string('x', BodyLength);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Messages; i++)
        {
            // The socket and the server's transport buffer take all of it at once: the client is not blocked yet.
            await flood.SendAsync(Xmpp.Message("sink@localhost/s", body));
        }
        var floodPong = flood.IqAsync(Xmpp.ServerPing(), TimeSpan.FromSeconds(80));

        var observerPong = await observer.IqAsync(Xmpp.ServerPing(), TimeSpan.FromSeconds(10));
        Assert.AreEqual("result", (string?)observerPong.Attribute("type"), "others are served during the flood");
        Assert.IsFalse(floodPong.IsCompleted, "the flooder's ping still waits behind its flood");

        var pong = await floodPong;
        Assert.AreEqual("result", (string?)pong.Attribute("type"), "slowed down, not disconnected");
        // Everything after the burst goes at the rate: (Messages × ~2.1 KB − burst) / rate ≈ 6.7 s.
        var floor = TimeSpan.FromSeconds((Messages * (double)BodyLength - BytesPerSecond) / BytesPerSecond / 2);
        Assert.IsTrue(clock.Elapsed >= floor, $"the flood was processed at most at the rate: took {clock.Elapsed}, at least {floor} expected");

        for (var i = 0; i < Messages; i++)
        {
            var message = await sink.ReceiveAsync(Xmpp.IsMessage, TimeSpan.FromSeconds(10));
            Assert.AreEqual(BodyLength, message.Value.Length, "every message arrives whole");
        }
    }
}
