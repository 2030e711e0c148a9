using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Microsoft.Extensions.DependencyInjection;
using XmppConf.Storage.Abstractions;
using XmppConf.Testing;
using XmppConf.Testing.Xmpp;
using XmppConf.Testing.Python;

namespace XmppConf.Scenarios.Tests.Im;

/// <summary>RFC 6121 §2–§4: roster management, subscriptions and presence between real clients.</summary>
[TestClass]
public sealed class RosterAndPresenceTests
{
    private static LoopbackServer _server = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _)
    {
        _server = await LoopbackServer.StartAsync();
        foreach (var name in new[] { "romeo", "juliet", "nurse", "tybalt", "mercutio", "benvolio", "paris", "rosaline", "capulet", "montague", "sampson", "gregory" }) await _server.AddUserAsync(name, "pw");
    }

    [ClassCleanup]
    public static async Task StopAsync() => await _server.DisposeAsync();

    private static XElement RosterQuery(params XElement[] items) => new(Xmpp.Roster + "query", items);

    private static XElement Item(string jid, string? name = null, params string[] groups)
    {
        var item = new XElement(Xmpp.Roster + "item", new XAttribute("jid", jid));
        if (name is not null) item.SetAttributeValue("name", name);
        foreach (var g in groups) item.Add(new XElement(Xmpp.Roster + "group", g));
        return item;
    }

    [TestMethod, Timeout(20_000)]
    public async Task RosterSet_ThenGet_ReturnsItemAndPushes()
    {
        await using var nurse = await _server.LoginAsync("nurse", "pw", "n1");
        await nurse.IqAsync(Xmpp.Iq("get", RosterQuery()));
        var set = await nurse.IqAsync(Xmpp.Iq("set", RosterQuery(Item("tybalt@localhost", "Tybalt", "Capulets", "Cousins"))));
        Assert.AreEqual("result", (string?)set.Attribute("type"));
        var push = await nurse.ReceiveAsync(Xmpp.IsRosterPush);
        var pushed = push.Descendants(Xmpp.Roster + "item").Single();
        Assert.AreEqual("tybalt@localhost", (string?)pushed.Attribute("jid"));
        Assert.AreEqual("none", (string?)pushed.Attribute("subscription"));
        var roster = await nurse.IqAsync(Xmpp.Iq("get", RosterQuery()));
        var item = roster.Descendants(Xmpp.Roster + "item").Single();
        Assert.AreEqual("Tybalt", (string?)item.Attribute("name"));
        CollectionAssert.AreEquivalent(new[] { "Capulets", "Cousins" }, item.Elements(Xmpp.Roster + "group").Select(g => g.Value).ToList());
        var version = (string?)roster.Element(Xmpp.Roster + "query")!.Attribute("ver");
        Assert.IsNotNull(version);
        // RFC 6121 §2.6: asking with the current version returns an empty result.
        var cached = await nurse.IqAsync(Xmpp.Iq("get", new XElement(Xmpp.Roster + "query", new XAttribute("ver", version))));
        Assert.IsNull(cached.Element(Xmpp.Roster + "query")?.Element(Xmpp.Roster + "item"));

        await nurse.IqAsync(Xmpp.Iq("set", RosterQuery(new XElement(Xmpp.Roster + "item", new XAttribute("jid", "tybalt@localhost"), new XAttribute("subscription", "remove")))));
        var removal = await nurse.ReceiveAsync(p => Xmpp.IsRosterPush(p) && p.Descendants(Xmpp.Roster + "item").Any(i => (string?)i.Attribute("subscription") == "remove"));
        Assert.IsNotNull(removal);
        var empty = await nurse.IqAsync(Xmpp.Iq("get", RosterQuery()));
        Assert.AreEqual(0, empty.Descendants(Xmpp.Roster + "item").Count());
    }

    [TestMethod, Timeout(20_000)]
    public async Task RosterSet_TwoItems_BadRequest()
    {
        await using var nurse = await _server.LoginAsync("nurse", "pw", "n2");
        var reply = await nurse.IqAsync(Xmpp.Iq("set", RosterQuery(Item("a@localhost"), Item("b@localhost"))));
        Assert.AreEqual("bad-request", Xmpp.ErrorCondition(reply));
    }

    [TestMethod, Timeout(30_000)]
    public async Task Subscription_MutualApproval_BothSeePresenceAndUnavailable()
    {
        await using var romeo = await _server.LoginAsync("romeo", "pw", "garden");
        await using var juliet = await _server.LoginAsync("juliet", "pw", "balcony");
        await romeo.IqAsync(Xmpp.Iq("get", RosterQuery()));
        await juliet.IqAsync(Xmpp.Iq("get", RosterQuery()));
        await romeo.SendAsync(Xmpp.Presence());
        await juliet.SendAsync(Xmpp.Presence(show: "dnd", status: "on the balcony"));

        await romeo.SendAsync(Xmpp.Presence("subscribe", "juliet@localhost"));
        var push = await romeo.ReceiveAsync(Xmpp.IsRosterPush);
        Assert.AreEqual("subscribe", (string?)push.Descendants(Xmpp.Roster + "item").Single().Attribute("ask"));
        var request = await juliet.ReceiveAsync(p => Xmpp.IsPresence(p) && (string?)p.Attribute("type") == "subscribe");
        Assert.AreEqual("romeo@localhost", (string?)request.Attribute("from"));

        await juliet.SendAsync(Xmpp.Presence("subscribed", "romeo@localhost"));
        var subscribed = await romeo.ReceiveAsync(p => Xmpp.IsPresence(p) && (string?)p.Attribute("type") == "subscribed");
        Assert.AreEqual("juliet@localhost", (string?)subscribed.Attribute("from"));
        var julietPresence = await romeo.ReceiveAsync(p => Xmpp.IsPresence(p) && (string?)p.Attribute("from") == "juliet@localhost/balcony" && p.Attribute("type") is null);
        Assert.AreEqual("dnd", julietPresence.Element(Xmpp.Client + "show")?.Value);
        Assert.AreEqual("on the balcony", julietPresence.Element(Xmpp.Client + "status")?.Value);
        var toPush = await romeo.ReceiveAsync(p => Xmpp.IsRosterPush(p) && (string?)p.Descendants(Xmpp.Roster + "item").Single().Attribute("subscription") == "to");
        Assert.IsNotNull(toPush);

        // Juliet changes presence: Romeo (a subscriber now) sees it.
        await juliet.SendAsync(Xmpp.Presence(show: "away", status: "asleep"));
        var away = await romeo.ReceiveAsync(p => Xmpp.IsPresence(p) && p.Element(Xmpp.Client + "show")?.Value == "away");
        Assert.AreEqual("asleep", away.Element(Xmpp.Client + "status")?.Value);

        // Juliet disconnects without saying goodbye: the server tells Romeo.
        await juliet.DisposeAsync();
        var gone = await romeo.ReceiveAsync(p => Xmpp.IsPresence(p) && (string?)p.Attribute("type") == "unavailable");
        Assert.AreEqual("juliet@localhost/balcony", (string?)gone.Attribute("from"));
    }

    [TestMethod, Timeout(30_000)]
    public async Task Subscription_RequestWhileOffline_DeliveredAtNextLogin()
    {
        await using (var mercutio = await _server.LoginAsync("mercutio", "pw", "m1"))
        {
            await mercutio.SendAsync(Xmpp.Presence("subscribe", "benvolio@localhost"));
            await mercutio.IqAsync(Xmpp.ServerPing());
        }
        await using var benvolio = await _server.LoginAsync("benvolio", "pw", "b1");
        await benvolio.SendAsync(Xmpp.Presence());
        var request = await benvolio.ReceiveAsync(p => Xmpp.IsPresence(p) && (string?)p.Attribute("type") == "subscribe");
        Assert.AreEqual("mercutio@localhost", (string?)request.Attribute("from"));
    }

    [TestMethod, Timeout(20_000)]
    public async Task Presence_InvalidPriority_BadRequest()
    {
        await using var tybalt = await _server.LoginAsync("tybalt", "pw", "t1");
        var presence = new XElement(Xmpp.Client + "presence", new XElement(Xmpp.Client + "priority", "999"));
        await tybalt.SendAsync(presence);
        var error = await tybalt.ReceiveAsync(Xmpp.IsPresence);
        Assert.AreEqual("bad-request", Xmpp.ErrorCondition(error));
    }

    [TestMethod, Timeout(20_000)]
    public async Task Presence_Initial_EchoedToOwnResources()
    {
        await using var first = await _server.LoginAsync("tybalt", "pw", "t2");
        await using var second = await _server.LoginAsync("tybalt", "pw", "t3");
        await first.SendAsync(Xmpp.Presence());
        await first.ReceiveAsync(p => Xmpp.IsPresence(p) && (string?)p.Attribute("from") == "tybalt@localhost/t2");
        await second.SendAsync(Xmpp.Presence(show: "xa"));
        var seen = await first.ReceiveAsync(p => Xmpp.IsPresence(p) && (string?)p.Attribute("from") == "tybalt@localhost/t3");
        Assert.AreEqual("xa", seen.Element(Xmpp.Client + "show")?.Value);
    }

    /// <summary>RFC 6121 §4.2.2: a newly available resource receives the presence of the user's other available resources.</summary>
    [TestMethod, Timeout(20_000)]
    public async Task Presence_Initial_ReceivesOwnOtherResourcesPresence()
    {
        await using var first = await _server.LoginAsync("tybalt", "pw", "t4");
        await first.SendAsync(Xmpp.Presence(show: "away", status: "sword practice"));
        await first.ReceiveAsync(p => Xmpp.IsPresence(p) && (string?)p.Attribute("from") == "tybalt@localhost/t4");
        await using var second = await _server.LoginAsync("tybalt", "pw", "t5");
        await second.SendAsync(Xmpp.Presence());
        var seen = await second.ReceiveAsync(p => Xmpp.IsPresence(p) && (string?)p.Attribute("from") == "tybalt@localhost/t4");
        Assert.AreEqual("away", seen.Element(Xmpp.Client + "show")?.Value);
        Assert.AreEqual("sword practice", seen.Element(Xmpp.Client + "status")?.Value);
        Assert.AreEqual("tybalt@localhost/t5", (string?)seen.Attribute("to"));
    }

    /// <summary>Groups per roster item are capped at 64 (not-acceptable beyond); duplicates stay bad-request (RFC 6121 §2.3.3).</summary>
    [DataTestMethod, Timeout(20_000)]
    [DataRow(64, false, "result")]
    [DataRow(65, false, "not-acceptable")]
    [DataRow(2000, false, "not-acceptable")]
    [DataRow(3, true, "bad-request")]
    public async Task RosterSet_GroupCount_CappedAndDuplicatesRefused(int count, bool duplicate, string expected)
    {
        await using var nurse = await _server.LoginAsync("nurse", "pw", "groups-" + count);
        var groups = Enumerable.Range(0, count).Select(i => "g" + (duplicate && i == count - 1 ? 0 : i)).ToArray();
        var reply = await nurse.IqAsync(Xmpp.Iq("set", RosterQuery(Item("many-groups@localhost", null, groups))));
        Assert.AreEqual(expected, expected == "result" ? (string?)reply.Attribute("type") : Xmpp.ErrorCondition(reply));
        if (expected == "result")
        {
            await nurse.IqAsync(Xmpp.Iq("set", RosterQuery(new XElement(Xmpp.Roster + "item", new XAttribute("jid", "many-groups@localhost"), new XAttribute("subscription", "remove")))));
        }
    }

    [TestMethod, Timeout(20_000)]
    public async Task Presence_DirectedToOtherDomain_RemoteServerNotFound()
    {
        await using var benvolio = await _server.LoginAsync("benvolio", "pw", "far");
        await benvolio.SendAsync(Xmpp.Presence(to: "someone@example.org"));
        var error = await benvolio.ReceiveAsync(p => Xmpp.IsPresence(p) && (string?)p.Attribute("type") == "error");
        Assert.AreEqual("someone@example.org", (string?)error.Attribute("from"));
        Assert.AreEqual("remote-server-not-found", Xmpp.ErrorCondition(error));
    }

    /// <summary>A session remembers at most 1000 directed-presence targets; more are refused with policy-violation.</summary>
    [TestMethod, Timeout(60_000)]
    public async Task Presence_DirectedBeyondCap_PolicyViolation()
    {
        await using var benvolio = await _server.LoginAsync("benvolio", "pw", "many");
        for (var i = 0; i < 1000; i++) await benvolio.SendAsync(Xmpp.Presence(to: $"target{i}@localhost"));
        // Again to a remembered target: no growth, no error.
        await benvolio.SendAsync(Xmpp.Presence(to: "target0@localhost", status: "again"));
        await benvolio.SendAsync(Xmpp.Presence(to: "target1000@localhost"));
        var error = await benvolio.ReceiveAsync(p => Xmpp.IsPresence(p) && (string?)p.Attribute("type") == "error", TimeSpan.FromSeconds(20));
        Assert.AreEqual("target1000@localhost", (string?)error.Attribute("from"), "only the one beyond the cap is refused");
        Assert.AreEqual("policy-violation", Xmpp.ErrorCondition(error));
        // Unavailable to a remembered target frees a place.
        await benvolio.SendAsync(Xmpp.Presence("unavailable", "target5@localhost"));
        await benvolio.SendAsync(Xmpp.Presence(to: "target1001@localhost"));
        await benvolio.ExpectNothingAsync(TimeSpan.FromMilliseconds(500), p => Xmpp.IsPresence(p) && (string?)p.Attribute("type") == "error");
    }

    private static readonly XNamespace Nick = "http://jabber.org/protocol/nick";

    private static XElement SubscriptionWith(string type, string to, string status, string? nick)
    {
        var presence = Xmpp.Presence(type, to, status: status);
        presence.SetAttributeValue("id", "sub-" + type);
        if (nick is not null) presence.Add(new XElement(Nick + "nick", nick));
        return presence;
    }

    /// <summary>RFC 6121 §3.1.2 / XEP-0172: the contact receives the user's own stanza (status, nick), stamped with bare JIDs.</summary>
    [TestMethod, Timeout(30_000)]
    public async Task Subscription_ClientStanzaForwarded_StatusAndNickKeptBareJids()
    {
        await using var paris = await _server.LoginAsync("paris", "pw", "verona");
        await using var rosaline = await _server.LoginAsync("rosaline", "pw", "home");
        await paris.SendAsync(Xmpp.Presence());
        await paris.ReceiveAsync(Xmpp.IsPresence);
        await rosaline.SendAsync(Xmpp.Presence());
        await rosaline.ReceiveAsync(Xmpp.IsPresence);
        await paris.SendAsync(SubscriptionWith("subscribe", "rosaline@localhost/home", "May I?", "Count Paris"));
        var request = await rosaline.ReceiveAsync(p => Xmpp.IsPresence(p) && (string?)p.Attribute("type") == "subscribe");
        Assert.AreEqual("paris@localhost", (string?)request.Attribute("from"));
        Assert.AreEqual("rosaline@localhost", (string?)request.Attribute("to"));
        Assert.AreEqual("sub-subscribe", (string?)request.Attribute("id"));
        Assert.AreEqual("May I?", request.Element(Xmpp.Client + "status")?.Value);
        Assert.AreEqual("Count Paris", request.Element(Nick + "nick")?.Value);

        await rosaline.SendAsync(SubscriptionWith("subscribed", "paris@localhost/verona", "You may", null));
        var approval = await paris.ReceiveAsync(p => Xmpp.IsPresence(p) && (string?)p.Attribute("type") == "subscribed");
        Assert.AreEqual("rosaline@localhost", (string?)approval.Attribute("from"));
        Assert.AreEqual("paris@localhost", (string?)approval.Attribute("to"));
        Assert.AreEqual("You may", approval.Element(Xmpp.Client + "status")?.Value);
    }

    /// <summary>A request kept for an offline contact is replayed as the user sent it.</summary>
    [TestMethod, Timeout(30_000)]
    public async Task Subscription_RequestWhileOffline_ReplayedWithNick()
    {
        await using (var capulet = await _server.LoginAsync("capulet", "pw", "c1"))
        {
            await capulet.SendAsync(SubscriptionWith("subscribe", "montague@localhost", "Truce?", "Lord Capulet"));
            await capulet.IqAsync(Xmpp.ServerPing());
        }
        await using var montague = await _server.LoginAsync("montague", "pw", "m1");
        await montague.SendAsync(Xmpp.Presence());
        var request = await montague.ReceiveAsync(p => Xmpp.IsPresence(p) && (string?)p.Attribute("type") == "subscribe");
        Assert.AreEqual("capulet@localhost", (string?)request.Attribute("from"));
        Assert.AreEqual("Lord Capulet", request.Element(Nick + "nick")?.Value);
        Assert.AreEqual("Truce?", request.Element(Xmpp.Client + "status")?.Value);
    }

    [TestMethod, Timeout(20_000)]
    public async Task Subscription_ToOtherDomain_RemoteServerNotFound()
    {
        await using var paris = await _server.LoginAsync("paris", "pw", "abroad");
        await paris.SendAsync(Xmpp.Presence("subscribe", "someone@example.org"));
        var error = await paris.ReceiveAsync(p => Xmpp.IsPresence(p) && (string?)p.Attribute("type") == "error");
        Assert.AreEqual("remote-server-not-found", Xmpp.ErrorCondition(error));
    }

    /// <summary>
    /// Subscription changes fired from both sides at once, over two sessions each, leave the two rosters
    /// agreeing (RFC 6121 §3): A has 'to' exactly when B has 'from', and A asks exactly when B has a pending request.
    /// </summary>
    [TestMethod, Timeout(60_000)]
    public async Task Subscription_ConcurrentTransitionsBothSides_RostersAgree()
    {
        string[] types = ["subscribe", "subscribed", "unsubscribe", "unsubscribed"];
        await using var s1 = await _server.LoginAsync("sampson", "pw", "s1");
        await using var s2 = await _server.LoginAsync("sampson", "pw", "s2");
        await using var g1 = await _server.LoginAsync("gregory", "pw", "g1");
        await using var g2 = await _server.LoginAsync("gregory", "pw", "g2");
        var store = _server.Services.GetRequiredService<IRosterStore>();
        for (var round = 0; round < 15; round++)
        {
            async Task Fire(Testing.Xmpp.TestXmppClient client, string to, int seed)
            {
                var random = new Random(seed);
                for (var i = 0; i < 40; i++) await client.SendAsync(Xmpp.Presence(types[random.Next(types.Length)], to));
                await client.IqAsync(Xmpp.ServerPing(), TimeSpan.FromSeconds(20));
            }
            await Task.WhenAll(
                Fire(s1, "gregory@localhost", round * 4), Fire(s2, "gregory@localhost", round * 4 + 1),
                Fire(g1, "sampson@localhost", round * 4 + 2), Fire(g2, "sampson@localhost", round * 4 + 3));
            var s = await store.GetAsync("sampson@localhost", "gregory@localhost");
            var g = await store.GetAsync("gregory@localhost", "sampson@localhost");
            var sTo = s?.Subscription.HasFlag(SubscriptionState.To) ?? false;
            var sFrom = s?.Subscription.HasFlag(SubscriptionState.From) ?? false;
            var gTo = g?.Subscription.HasFlag(SubscriptionState.To) ?? false;
            var gFrom = g?.Subscription.HasFlag(SubscriptionState.From) ?? false;
            var state = $"round {round}: sampson {s}; gregory {g}";
            Assert.AreEqual(sTo, gFrom, state);
            Assert.AreEqual(gTo, sFrom, state);
            Assert.AreEqual(s?.PendingOut ?? false, g?.PendingIn ?? false, state);
            Assert.AreEqual(g?.PendingOut ?? false, s?.PendingIn ?? false, state);
        }
    }
}
