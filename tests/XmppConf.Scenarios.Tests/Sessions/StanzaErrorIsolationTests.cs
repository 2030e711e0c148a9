using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Server.Routing;
using XmppConf.Testing;

namespace XmppConf.Scenarios.Tests.Sessions;

/// <summary>A stanza whose handling throws is answered with internal-server-error; the stream survives it.</summary>
[TestClass]
public sealed class StanzaErrorIsolationTests
{
    private static readonly RecordingComponent Broken = new("broken.localhost") { Fail = true };
    private static LoopbackServer _server = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _)
    {
        _server = await LoopbackServer.StartAsync(
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "None" },
            configureServices: s => s.AddSingleton<IXmppComponent>(Broken));
        await _server.AddUserAsync("kim", "pw");
    }

    [ClassCleanup]
    public static async Task StopAsync() => await _server.DisposeAsync();

    private static XElement Ping(string to) => Xmpp.Iq("get", new XElement(XName.Get("ping", "urn:xmpp:ping")), to);

    [TestMethod, Timeout(20_000)]
    public async Task IqAndMessage_HandlerThrows_InternalServerErrorAndStreamGoesOn()
    {
        await using var kim = await _server.LoginAsync("kim", "pw", "k1");
        var reply = await kim.IqAsync(Ping("broken.localhost"));
        Assert.AreEqual("error", (string?)reply.Attribute("type"));
        Assert.AreEqual("internal-server-error", Xmpp.ErrorCondition(reply));

        await kim.SendAsync(Xmpp.Message("room@broken.localhost", "hello?"));
        var bounce = await kim.ReceiveAsync(Xmpp.IsMessage);
        Assert.AreEqual("internal-server-error", Xmpp.ErrorCondition(bounce));

        var pong = await kim.IqAsync(Ping("localhost"));
        Assert.AreEqual("result", (string?)pong.Attribute("type"), "the stream is still served");
        Assert.IsFalse(kim.IsClosed);
    }

    /// <summary>RFC 6120 §8.3.1: answers (iq result, errors) and presence are not answered with an error.</summary>
    [TestMethod, Timeout(20_000)]
    public async Task AnswersAndPresence_HandlerThrows_NoErrorReplyStreamGoesOn()
    {
        await using var kim = await _server.LoginAsync("kim", "pw", "k2");
        await kim.SendRawAsync("<iq type='result' id='r1' to='broken.localhost'/>");
        await kim.SendRawAsync("<message type='error' id='m1' to='room@broken.localhost'/>");
        await kim.SendAsync(Xmpp.Presence(to: "room@broken.localhost/kim"));
        await kim.ExpectNothingAsync(TimeSpan.FromMilliseconds(400), e => (string?)e.Attribute("type") == "error");
        var pong = await kim.IqAsync(Ping("localhost"));
        Assert.AreEqual("result", (string?)pong.Attribute("type"), "the stream is still served");
    }
}
