using System.Xml.Linq;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Addressing;
using XmppConf.Server.Connections;
using XmppConf.Server.Sessions;
using XmppConf.Testing;
using XmppConf.Testing.Xmpp;
using XmppConf.Testing.Python;

namespace XmppConf.Scenarios.Tests.Im;

/// <summary>RFC 6121 §8 routing of messages and iq between real clients.</summary>
[TestClass]
public sealed class MessagingTests
{
    private static LoopbackServer _server = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _)
    {
        _server = await LoopbackServer.StartAsync();
        foreach (var name in new[] { "ann", "ben", "cat", "dan", "eve", "fay" }) await _server.AddUserAsync(name, "pw-" + name);
    }

    [ClassCleanup]
    public static async Task StopAsync() => await _server.DisposeAsync();

    [TestMethod, Timeout(20_000)]
    public async Task Chat_ToFullJid_DeliveredWithStampedFrom()
    {
        await using var ann = await _server.LoginAsync("ann", "pw-ann", "a1");
        await using var ben = await _server.LoginAsync("ben", "pw-ben", "b1");
        // The client claims to be someone else; the server must overwrite 'from'.
        var message = Xmpp.Message("ben@localhost/b1", "héllo € 👋");
        message.SetAttributeValue("from", "eve@localhost/evil");
        await ann.SendAsync(message);
        var received = await ben.ReceiveAsync(Xmpp.IsMessage);
        Assert.AreEqual("ann@localhost/a1", (string?)received.Attribute("from"));
        Assert.AreEqual("héllo € 👋", received.Element(Xmpp.Client + "body")!.Value);
    }

    [TestMethod, Timeout(20_000)]
    public async Task Chat_ToBareJid_GoesToHighestPriorityResource()
    {
        await using var ann = await _server.LoginAsync("ann", "pw-ann", "a2");
        await using var low = await _server.LoginAsync("cat", "pw-cat", "low");
        await using var high = await _server.LoginAsync("cat", "pw-cat", "high");
        await low.SendAsync(Xmpp.Presence(priority: 1));
        await high.SendAsync(Xmpp.Presence(priority: 5));
        await low.ReceiveAsync(p => Xmpp.IsPresence(p) && ((string?)p.Attribute("from"))!.EndsWith("/high"));
        await ann.SendAsync(Xmpp.Message("cat@localhost", "to the best"));
        var got = await high.ReceiveAsync(Xmpp.IsMessage);
        Assert.AreEqual("to the best", got.Element(Xmpp.Client + "body")!.Value);
        await low.ExpectNothingAsync(TimeSpan.FromMilliseconds(300), Xmpp.IsMessage);
    }

    [TestMethod, Timeout(30_000)]
    public async Task Chat_ToOfflineUser_StoredAndDeliveredWithDelayAtLogin()
    {
        await using (var ann = await _server.LoginAsync("ann", "pw-ann", "a3"))
        {
            await ann.SendAsync(Xmpp.Message("dan@localhost", "while you were out"));
            // A round trip proves the message was processed before we disconnect.
            await ann.IqAsync(Xmpp.ServerPing());
        }
        await using var dan = await _server.LoginAsync("dan", "pw-dan", "d1");
        await dan.SendAsync(Xmpp.Presence());
        var offline = await dan.ReceiveAsync(Xmpp.IsMessage);
        Assert.AreEqual("while you were out", offline.Element(Xmpp.Client + "body")!.Value);
        var delay = offline.Element(Xmpp.Delay + "delay");
        Assert.IsNotNull(delay, offline.ToString());
        Assert.AreEqual("localhost", (string?)delay.Attribute("from"));
        Assert.IsTrue(DateTimeOffset.TryParse((string?)delay.Attribute("stamp"), out _));
        // Delivered once only.
        await using var again = await _server.LoginAsync("dan", "pw-dan", "d2");
        await again.SendAsync(Xmpp.Presence());
        await again.ExpectNothingAsync(TimeSpan.FromMilliseconds(500), Xmpp.IsMessage);
    }

    [TestMethod, Timeout(20_000)]
    public async Task Message_ToUnknownAccount_ServiceUnavailable()
    {
        await using var ann = await _server.LoginAsync("ann", "pw-ann", "a4");
        await ann.SendAsync(Xmpp.Message("ghost@localhost", "anyone?"));
        var error = await ann.ReceiveAsync(Xmpp.IsMessage);
        Assert.AreEqual("error", (string?)error.Attribute("type"));
        Assert.AreEqual("service-unavailable", Xmpp.ErrorCondition(error));
    }

    [TestMethod, Timeout(20_000)]
    public async Task Message_ToOtherDomain_RemoteServerNotFound()
    {
        await using var ann = await _server.LoginAsync("ann", "pw-ann", "a5");
        await ann.SendAsync(Xmpp.Message("someone@example.org", "hi"));
        var error = await ann.ReceiveAsync(Xmpp.IsMessage);
        Assert.AreEqual("remote-server-not-found", Xmpp.ErrorCondition(error));
    }

    [TestMethod, Timeout(20_000)]
    public async Task Message_MalformedTo_JidMalformed()
    {
        await using var ann = await _server.LoginAsync("ann", "pw-ann", "a6");
        await ann.SendAsync(Xmpp.Message("a@b@c", "hi"));
        var error = await ann.ReceiveAsync(Xmpp.IsMessage);
        Assert.AreEqual("jid-malformed", Xmpp.ErrorCondition(error));
    }

    [TestMethod, Timeout(20_000)]
    public async Task Iq_ToOfflineResource_ServiceUnavailable()
    {
        await using var ann = await _server.LoginAsync("ann", "pw-ann", "a7");
        var reply = await ann.IqAsync(Xmpp.Iq("get", new XElement(XName.Get("query", "jabber:iq:version")), "ben@localhost/nowhere"));
        Assert.AreEqual("error", (string?)reply.Attribute("type"));
        Assert.AreEqual("service-unavailable", Xmpp.ErrorCondition(reply));
    }

    [TestMethod, Timeout(20_000)]
    public async Task Iq_BetweenResources_RequestAndResultRouted()
    {
        await using var ann = await _server.LoginAsync("ann", "pw-ann", "a8");
        await using var eve = await _server.LoginAsync("eve", "pw-eve", "e1");
        var pending = ann.IqAsync(Xmpp.Iq("get", new XElement(XName.Get("query", "jabber:iq:version")), "eve@localhost/e1"));
        var request = await eve.ReceiveAsync(e => e.Name == Xmpp.Client + "iq");
        Assert.AreEqual("ann@localhost/a8", (string?)request.Attribute("from"));
        await eve.SendAsync(new XElement(Xmpp.Client + "iq", new XAttribute("type", "result"), new XAttribute("id", (string)request.Attribute("id")!),
            new XAttribute("to", "ann@localhost/a8"), new XElement(XName.Get("query", "jabber:iq:version"), new XElement(XName.Get("name", "jabber:iq:version"), "EveClient"))));
        var result = await pending;
        Assert.AreEqual("result", (string?)result.Attribute("type"));
        Assert.AreEqual("eve@localhost/e1", (string?)result.Attribute("from"));
    }

    [TestMethod, Timeout(20_000)]
    public async Task Server_DiscoPingVersion_Answered()
    {
        await using var ann = await _server.LoginAsync("ann", "pw-ann", "a9");
        var info = await ann.IqAsync(Xmpp.Iq("get", new XElement(XName.Get("query", "http://jabber.org/protocol/disco#info")), "localhost"));
        var features = info.Descendants(XName.Get("feature", "http://jabber.org/protocol/disco#info")).Select(f => (string?)f.Attribute("var")).ToList();
        CollectionAssert.IsSubsetOf(new[] { "urn:xmpp:ping", "jabber:iq:version", "jabber:iq:roster", "msgoffline", "http://jabber.org/protocol/disco#info" }, features);
        var identity = info.Descendants(XName.Get("identity", "http://jabber.org/protocol/disco#info")).Single();
        Assert.AreEqual("server", (string?)identity.Attribute("category"));
        var ping = await ann.IqAsync(Xmpp.ServerPing());
        Assert.AreEqual("result", (string?)ping.Attribute("type"));
        var version = await ann.IqAsync(Xmpp.Iq("get", new XElement(XName.Get("query", "jabber:iq:version")), "localhost"));
        Assert.AreEqual("XmppConf", version.Descendants(XName.Get("name", "jabber:iq:version")).Single().Value);
        var unknown = await ann.IqAsync(Xmpp.Iq("get", new XElement(XName.Get("query", "urn:example:unknown")), "localhost"));
        Assert.AreEqual("service-unavailable", Xmpp.ErrorCondition(unknown));
    }

    [TestMethod, Timeout(20_000)]
    public async Task Iq_WithTwoPayloads_BadRequest()
    {
        await using var ann = await _server.LoginAsync("ann", "pw-ann", "a10");
        var iq = Xmpp.ServerPing();
        iq.Add(new XElement(XName.Get("query", "jabber:iq:version")));
        var reply = await ann.IqAsync(iq);
        Assert.AreEqual("bad-request", Xmpp.ErrorCondition(reply));
    }

    private static Func<XElement, bool> MessageWithBody(string body) => m => Xmpp.IsMessage(m) && m.Element(Xmpp.Client + "body")?.Value == body;

    /// <summary>RFC 6121 §8.5.3.2.1: chat to a resource that is gone is handled as if sent to the bare JID.</summary>
    [TestMethod, Timeout(20_000)]
    public async Task Chat_ToGoneResource_DeliveredByBareJidRules()
    {
        await using var ann = await _server.LoginAsync("ann", "pw-ann", "a11");
        await using var eve = await _server.LoginAsync("eve", "pw-eve", "e2");
        await eve.SendAsync(Xmpp.Presence());
        await eve.ReceiveAsync(Xmpp.IsPresence);
        await ann.SendAsync(Xmpp.Message("eve@localhost/gone", "chat to gone"));
        await eve.ReceiveAsync(MessageWithBody("chat to gone"));
    }

    /// <summary>RFC 6121 §8.5.3.2.1 and §5.2.2: normal (and unknown types, which are normal) to a gone resource is refused, not rerouted.</summary>
    [DataTestMethod, Timeout(20_000)]
    [DataRow("normal")]
    [DataRow("bogus")]
    public async Task NormalMessage_ToGoneResource_ServiceUnavailable(string type)
    {
        await using var ann = await _server.LoginAsync("ann", "pw-ann", "a12");
        await using var eve = await _server.LoginAsync("eve", "pw-eve", "e3");
        await eve.SendAsync(Xmpp.Presence());
        await eve.ReceiveAsync(Xmpp.IsPresence);
        await ann.SendAsync(Xmpp.Message("eve@localhost/gone", "normal to gone", type));
        var error = await ann.ReceiveAsync(Xmpp.IsMessage);
        Assert.AreEqual("error", (string?)error.Attribute("type"));
        Assert.AreEqual("service-unavailable", Xmpp.ErrorCondition(error));
        await eve.ExpectNothingAsync(TimeSpan.FromMilliseconds(300), Xmpp.IsMessage);
    }

    /// <summary>RFC 6121 §8.5.3.2.1: headline to a gone resource is silently ignored.</summary>
    [TestMethod, Timeout(20_000)]
    public async Task Headline_ToGoneResource_SilentlyIgnored()
    {
        await using var ann = await _server.LoginAsync("ann", "pw-ann", "a13");
        await using var eve = await _server.LoginAsync("eve", "pw-eve", "e4");
        await eve.SendAsync(Xmpp.Presence());
        await eve.ReceiveAsync(Xmpp.IsPresence);
        await ann.SendAsync(Xmpp.Message("eve@localhost/gone", "headline to gone", "headline"));
        await ann.ExpectNothingAsync(TimeSpan.FromMilliseconds(300), Xmpp.IsMessage);
        await eve.ExpectNothingAsync(TimeSpan.FromMilliseconds(300), Xmpp.IsMessage);
    }

    /// <summary>RFC 6121 §5.2.2: an unknown message type is processed as normal, not refused.</summary>
    [TestMethod, Timeout(20_000)]
    public async Task Message_UnknownType_DeliveredAsNormal()
    {
        await using var ann = await _server.LoginAsync("ann", "pw-ann", "a14");
        await using var eve = await _server.LoginAsync("eve", "pw-eve", "e5");
        await eve.SendAsync(Xmpp.Presence());
        await eve.ReceiveAsync(Xmpp.IsPresence);
        await ann.SendAsync(Xmpp.Message("eve@localhost", "odd type", "bogus"));
        await eve.ReceiveAsync(MessageWithBody("odd type"));
        await ann.ExpectNothingAsync(TimeSpan.FromMilliseconds(300), Xmpp.IsMessage);
    }

    /// <summary>RFC 6120 §8.2.3 / §8.3.1: an iq result or error is never answered with an error, even with a malformed 'to'.</summary>
    [DataTestMethod, Timeout(20_000)]
    [DataRow("result")]
    [DataRow("error")]
    public async Task IqResponse_MalformedTo_NotAnswered(string type)
    {
        await using var ann = await _server.LoginAsync("ann", "pw-ann", "a15-" + type);
        await ann.SendRawAsync($"<iq type='{type}' id='r1' to='a@b@c'/>");
        await ann.ExpectNothingAsync(TimeSpan.FromMilliseconds(400), e => e.Name == Xmpp.Client + "iq" && (string?)e.Attribute("id") == "r1");
        var pong = await ann.IqAsync(Xmpp.ServerPing());
        Assert.AreEqual("result", (string?)pong.Attribute("type"));
    }

    /// <summary>
    /// A session that is in the session table but can no longer take stanzas (closing, or not yet ready)
    /// counts as gone: chat to it follows the bare-JID rules (offline storage here) instead of vanishing.
    /// </summary>
    [TestMethod, Timeout(20_000)]
    public async Task Chat_ToResourceThatCannotTakeIt_StoredOffline()
    {
        var services = _server.Services.GetRequiredService<SessionServices>();
        var wire = new System.IO.Pipelines.Pipe();
        var context = new DefaultConnectionContext("unready", new TestDuplexPipe(wire.Reader, wire.Writer), new TestDuplexPipe(wire.Reader, wire.Writer));
        await using var transport = new XmppTransport(context);
        var unready = new ClientSession(services, transport);
        var bound = await services.Sessions.BindAsync(unready, Jid.Parse("fay@localhost/unready"), CancellationToken.None);
        Assert.IsNull(bound.Error);
        try
        {
            await using var ann = await _server.LoginAsync("ann", "pw-ann", "a16");
            await ann.SendAsync(Xmpp.Message("fay@localhost/unready", "kept for later"));
            await ann.ExpectNothingAsync(TimeSpan.FromMilliseconds(300), Xmpp.IsMessage);
        }
        finally
        {
            await services.Sessions.RemoveAsync(unready);
        }
        await using var fay = await _server.LoginAsync("fay", "pw-fay", "f1");
        await fay.SendAsync(Xmpp.Presence());
        await fay.ReceiveAsync(MessageWithBody("kept for later"));
    }

    private sealed record TestDuplexPipe(System.IO.Pipelines.PipeReader Input, System.IO.Pipelines.PipeWriter Output) : System.IO.Pipelines.IDuplexPipe;
}
