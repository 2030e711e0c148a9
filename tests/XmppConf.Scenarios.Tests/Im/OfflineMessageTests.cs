using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Storage.Abstractions;
using XmppConf.Testing;

namespace XmppConf.Scenarios.Tests.Im;

/// <summary>XEP-0160 offline messages, on a server with a small outbound queue so backlogs exceed it.</summary>
[TestClass]
public sealed class OfflineMessageTests
{
    private static LoopbackServer _server = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _)
    {
        _server = await LoopbackServer.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:MaxStanzaBytes"] = "16384",
            ["Limits:OutboundQueueBytes"] = "65536",
            ["Limits:MaxOfflineMessages"] = "500",
        });
        foreach (var name in new[] { "ada", "bob", "cy", "dee", "eli", "fox" }) await _server.AddUserAsync(name, "pw");
    }

    [ClassCleanup]
    public static async Task StopAsync() => await _server.DisposeAsync();

    private static IOfflineStore Store => _server.Services.GetRequiredService<IOfflineStore>();

    /// <summary>A backlog ten times the outbound queue arrives whole, in order, once, in one login.</summary>
    [TestMethod, Timeout(60_000)]
    public async Task Backlog_LargerThanOutboundQueue_DeliveredOnceInOneLogin()
    {
        const int count = 60;
        var filler = new string('x', 10_000);
        await using (var ada = await _server.LoginAsync("ada", "pw", "a1"))
        {
            for (var i = 0; i < count; i++) await ada.SendAsync(Xmpp.Message("bob@localhost", i + ":" + filler));
            await ada.IqAsync(Xmpp.ServerPing());
        }
        Assert.AreEqual(count, await Store.CountAsync("bob@localhost"));

        await using (var bob = await _server.LoginAsync("bob", "pw", "b1"))
        {
            await bob.SendAsync(Xmpp.Presence());
            for (var i = 0; i < count; i++)
            {
                var message = await bob.ReceiveAsync(Xmpp.IsMessage);
                var body = message.Element(Xmpp.Client + "body")!.Value;
                Assert.AreEqual(i.ToString(System.Globalization.CultureInfo.InvariantCulture), body[..body.IndexOf(':')], "in order, none twice");
            }
            await bob.ExpectNothingAsync(TimeSpan.FromMilliseconds(500), Xmpp.IsMessage);
            Assert.IsFalse(bob.IsClosed, "the session survived its own backlog");
            var pong = await bob.IqAsync(Xmpp.ServerPing());
            Assert.AreEqual("result", (string?)pong.Attribute("type"));
        }
        Assert.AreEqual(0, await Store.CountAsync("bob@localhost"), "everything delivered left the store");
        await using var again = await _server.LoginAsync("bob", "pw", "b2");
        await again.SendAsync(Xmpp.Presence());
        await again.ExpectNothingAsync(TimeSpan.FromMilliseconds(500), Xmpp.IsMessage);
    }

    /// <summary>XEP-0160: a session that was available with negative priority gets offline messages once it raises its priority.</summary>
    [TestMethod, Timeout(20_000)]
    public async Task Priority_RaisedFromNegative_OfflineMessagesDelivered()
    {
        await using var cy = await _server.LoginAsync("cy", "pw", "c1");
        await cy.SendAsync(Xmpp.Presence(priority: -1));
        await cy.ReceiveAsync(Xmpp.IsPresence);
        await using (var ada = await _server.LoginAsync("ada", "pw", "a2"))
        {
            // §8.5.2.1.1: only a negative-priority resource is available, so the message is stored.
            await ada.SendAsync(Xmpp.Message("cy@localhost", "for when you are really here"));
            await ada.IqAsync(Xmpp.ServerPing());
        }
        await cy.ExpectNothingAsync(TimeSpan.FromMilliseconds(300), Xmpp.IsMessage);
        Assert.AreEqual(1, await Store.CountAsync("cy@localhost"));
        await cy.SendAsync(Xmpp.Presence(priority: 1));
        var message = await cy.ReceiveAsync(Xmpp.IsMessage);
        Assert.AreEqual("for when you are really here", message.Element(Xmpp.Client + "body")?.Value);
        Assert.IsNotNull(message.Element(Xmpp.Delay + "delay"));
        await cy.IqAsync(Xmpp.ServerPing());
        Assert.AreEqual(0, await Store.CountAsync("cy@localhost"));
        // A further presence change with non-negative priority does not deliver anything again.
        await cy.SendAsync(Xmpp.Presence(priority: 2));
        await cy.ExpectNothingAsync(TimeSpan.FromMilliseconds(300), Xmpp.IsMessage);
    }

    private static readonly XNamespace Hints = "urn:xmpp:hints";

    private static XElement ChatState(string to) => new(Xmpp.Client + "message", new XAttribute("to", to), new XAttribute("type", "chat"),
        new XElement(XName.Get("composing", "http://jabber.org/protocol/chatstates")));

    /// <summary>XEP-0160 §3: chat states and other body-less messages are neither stored nor bounced.</summary>
    [TestMethod, Timeout(20_000)]
    public async Task Message_WithoutBody_NotStoredNotBounced()
    {
        await using var ada = await _server.LoginAsync("ada", "pw", "a3");
        await ada.SendAsync(ChatState("dee@localhost"));
        var receipt = new XElement(Xmpp.Client + "message", new XAttribute("to", "dee@localhost"),
            new XElement(XName.Get("received", "urn:xmpp:receipts"), new XAttribute("id", "m1")));
        await ada.SendAsync(receipt);
        await ada.IqAsync(Xmpp.ServerPing());
        await ada.ExpectNothingAsync(TimeSpan.FromMilliseconds(300), Xmpp.IsMessage);
        Assert.AreEqual(0, await Store.CountAsync("dee@localhost"));
    }

    /// <summary>XEP-0334: &lt;store/&gt; keeps a message without a body.</summary>
    [TestMethod, Timeout(20_000)]
    public async Task Message_WithoutBodyWithStoreHint_Stored()
    {
        await using (var ada = await _server.LoginAsync("ada", "pw", "a4"))
        {
            var hinted = ChatState("eli@localhost");
            hinted.Add(new XElement(Hints + "store"));
            await ada.SendAsync(hinted);
            await ada.IqAsync(Xmpp.ServerPing());
            await ada.ExpectNothingAsync(TimeSpan.FromMilliseconds(300), Xmpp.IsMessage);
        }
        await using var eli = await _server.LoginAsync("eli", "pw", "e1");
        await eli.SendAsync(Xmpp.Presence());
        var stored = await eli.ReceiveAsync(Xmpp.IsMessage);
        Assert.IsNotNull(stored.Element(XName.Get("composing", "http://jabber.org/protocol/chatstates")), stored.ToString());
    }

    /// <summary>XEP-0334: &lt;no-store/&gt; is never stored; with a body the sender hears service-unavailable.</summary>
    [TestMethod, Timeout(20_000)]
    public async Task Message_WithNoStoreHint_NotStoredAndBounced()
    {
        await using var ada = await _server.LoginAsync("ada", "pw", "a5");
        var message = Xmpp.Message("fox@localhost", "do not keep this");
        message.Add(new XElement(Hints + "no-store"));
        await ada.SendAsync(message);
        var error = await ada.ReceiveAsync(Xmpp.IsMessage);
        Assert.AreEqual("service-unavailable", Xmpp.ErrorCondition(error));
        Assert.AreEqual(0, await Store.CountAsync("fox@localhost"));
    }
}
