using System.Xml.Linq;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Rooms;

/// <summary>XEP-0045 §7.4 groupchat, with XEP-0359 stanza-id and XEP-0421 occupant-id.</summary>
[TestClass]
public sealed class GroupchatTests
{
    [TestMethod]
    public async Task Groupchat_FromOccupant_ReflectedToAllWithSameStanzaIdAndOccupantId()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var sent = await h.SendAsync(St.Groupchat("hello", id: "m1"), "bob@example.org/b", Room("room"));

        CollectionAssert.AreEquivalent(new[] { "owner@example.org/a", "bob@example.org/b" }, sent.Select(s => s.To()).ToArray());
        var ids = new HashSet<string>();
        foreach (var m in sent)
        {
            Assert.AreEqual("room@conference.example.org/Bob", m.From());
            Assert.AreEqual("groupchat", m.Type());
            Assert.AreEqual("m1", m.Attribute("id")?.Value);
            Assert.AreEqual("hello", m.Element(St.Client + "body")?.Value);
            var sid = m.Element(XName.Get("stanza-id", "urn:xmpp:sid:0"));
            Assert.AreEqual("room@conference.example.org", sid?.Attribute("by")?.Value);
            ids.Add(sid!.Attribute("id")!.Value);
            Assert.IsNotNull(m.Element(XName.Get("occupant-id", "urn:xmpp:occupant-id:0"))?.Attribute("id"));
        }
        Assert.AreEqual(1, ids.Count, "one stanza-id per message");
    }

    [TestMethod]
    public async Task Groupchat_ForgedStanzaIdAndOccupantId_Stripped()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        var message = St.Groupchat("hi");
        message.Add(new XElement(XName.Get("stanza-id", "urn:xmpp:sid:0"), new XAttribute("id", "forged"), new XAttribute("by", "room@conference.example.org")));
        message.Add(new XElement(XName.Get("occupant-id", "urn:xmpp:occupant-id:0"), new XAttribute("id", "forged")));

        var sent = await h.SendAsync(message, "owner@example.org/a", Room("room"));

        var m = sent.Single();
        Assert.AreEqual(1, m.Elements(XName.Get("stanza-id", "urn:xmpp:sid:0")).Count());
        Assert.AreNotEqual("forged", m.Element(XName.Get("stanza-id", "urn:xmpp:sid:0"))!.Attribute("id")!.Value);
        Assert.AreEqual(1, m.Elements(XName.Get("occupant-id", "urn:xmpp:occupant-id:0")).Count());
        Assert.AreNotEqual("forged", m.Element(XName.Get("occupant-id", "urn:xmpp:occupant-id:0"))!.Attribute("id")!.Value);
    }

    [TestMethod]
    public async Task OccupantId_SameUserSameRoom_StableAcrossVisitsAndDistinctPerUser()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        var first = (await h.JoinAsync("bob@example.org/b", "room", "Bob")).Single(s => s.Codes().Contains(110));
        await h.SendAsync(St.Presence("unavailable"), "bob@example.org/b", Room("room", "Bob"));
        var second = (await h.JoinAsync("bob@example.org/other", "room", "Robert")).Single(s => s.Codes().Contains(110));
        var carol = (await h.JoinAsync("carol@example.org/c", "room", "Carol")).Single(s => s.Codes().Contains(110));

        static string Id(XElement p) => p.Element(XName.Get("occupant-id", "urn:xmpp:occupant-id:0"))!.Attribute("id")!.Value;
        Assert.AreEqual(Id(first), Id(second));
        Assert.AreNotEqual(Id(first), Id(carol));
        Assert.IsFalse(Id(first).Contains("bob"));
    }

    [TestMethod]
    public async Task Groupchat_FromNonOccupant_NotAcceptable()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");

        var sent = await h.SendAsync(St.Groupchat("let me in"), "eve@example.org/e", Room("room"));

        Assert.AreEqual(1, sent.Count, sent.Describe());
        Assert.AreEqual("eve@example.org/e", sent[0].To());
        Assert.AreEqual("not-acceptable", sent[0].ErrorCondition());
    }

    [TestMethod]
    public async Task Groupchat_OtherResourceOfOccupant_NotAcceptable()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");

        var sent = await h.SendAsync(St.Groupchat("from my phone"), "owner@example.org/phone", Room("room"));

        Assert.AreEqual("not-acceptable", sent.Single().ErrorCondition());
    }

    [TestMethod]
    public async Task Groupchat_VisitorInModeratedRoom_Forbidden()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner", ("muc#roomconfig_moderatedroom", ["1"]));
        var join = await h.JoinAsync("bob@example.org/b", "room", "Bob");
        Assert.AreEqual("visitor", join.Single(s => s.Codes().Contains(110)).Item()!.Attribute("role")?.Value);

        var sent = await h.SendAsync(St.Groupchat("may I?"), "bob@example.org/b", Room("room"));

        Assert.AreEqual("forbidden", sent.Single().ErrorCondition());
    }

    [TestMethod]
    public async Task Message_NormalToRoom_NotAcceptable()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");

        var sent = await h.SendAsync(St.Chat("psst"), "owner@example.org/a", Room("room"));

        Assert.AreEqual("not-acceptable", sent.Single().ErrorCondition());
    }

    [TestMethod]
    public async Task Groupchat_ErrorBounceFromOccupant_OccupantRemoved()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.JoinAsync("bob@example.org/b", "room", "Bob");
        var bounce = new XElement(St.Client + "message", new XAttribute("type", "error"));

        var sent = await h.SendAsync(bounce, "bob@example.org/b", Room("room"));

        Assert.AreEqual("unavailable", sent.Single().Type());
        Assert.AreEqual("owner@example.org/a", sent[0].To());
    }

    [TestMethod]
    public async Task Join_LargeRoom_CostsLinearStanzas()
    {
        await using var h = new MucHarness(new XmppConf.Muc.Service.MucOptions { DefaultMaxUsers = 500 });
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        for (var i = 0; i < 200; i++)
        {
            await h.Service.RouteAsync(St.Enter(), J($"u{i}@example.org/r"), Room("room", $"u{i}"), CancellationToken.None);
        }
        await h.Service.Registry.AskAsync(Room("room"), _ => 0, CancellationToken.None);
        h.Sink.Take();

        var sent = await h.JoinAsync("last@example.org/r", "room", "Last");

        // 201 existing occupants → 201 presences to the newcomer, 201 to the others, self, subject.
        Assert.AreEqual(201 + 201 + 2, sent.Count);
    }
}
