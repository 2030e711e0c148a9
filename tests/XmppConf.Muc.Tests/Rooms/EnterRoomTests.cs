using System.Xml.Linq;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Rooms;

/// <summary>XEP-0045 §7.2 entering a room: stanza order, status codes, what each occupant sees.</summary>
[TestClass]
public sealed class EnterRoomTests
{
    [TestMethod]
    public async Task Join_ExistingRoom_OccupantsThenSelfThenSubjectInOrder()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var sent = await h.JoinAsync("carol@example.org/c", "room", "Carol");

        var toCarol = sent.Where(s => s.To() == "carol@example.org/c").ToList();
        Assert.AreEqual(4, toCarol.Count, sent.Describe());
        Assert.AreEqual("room@conference.example.org/Owner", toCarol[0].From());
        Assert.AreEqual("room@conference.example.org/Bob", toCarol[1].From());
        Assert.AreEqual("room@conference.example.org/Carol", toCarol[2].From());
        CollectionAssert.AreEqual(new[] { 110 }, toCarol[2].Codes());
        Assert.AreEqual("message", toCarol[3].Name.LocalName);
        Assert.IsNotNull(toCarol[3].Element(St.Client + "subject"));
        // The others learn of Carol, once each.
        Assert.AreEqual(1, sent.Count(s => s.To() == "owner@example.org/a" && s.From() == "room@conference.example.org/Carol"));
        Assert.AreEqual(1, sent.Count(s => s.To() == "bob@example.org/b" && s.From() == "room@conference.example.org/Carol"));
        Assert.AreEqual(6, sent.Count, sent.Describe());
    }

    [TestMethod]
    public async Task Join_SemiAnonymousRoom_OnlyModeratorsSeeRealJid()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var sent = await h.JoinAsync("carol@example.org/c", "room", "Carol");

        var toOwner = sent.Single(s => s.To() == "owner@example.org/a");
        var toBob = sent.Single(s => s.To() == "bob@example.org/b");
        Assert.AreEqual("carol@example.org/c", toOwner.Item()!.Attribute("jid")?.Value);
        Assert.IsNull(toBob.Item()!.Attribute("jid"));
        Assert.AreEqual("participant", toBob.Item()!.Attribute("role")?.Value);
        Assert.AreEqual("none", toBob.Item()!.Attribute("affiliation")?.Value);
        // Carol, a participant, does not see the owner's JID either.
        var ownerToCarol = sent.First(s => s.To() == "carol@example.org/c");
        Assert.IsNull(ownerToCarol.Item()!.Attribute("jid"));
        Assert.AreEqual("moderator", ownerToCarol.Item()!.Attribute("role")?.Value);
        Assert.AreEqual("owner", ownerToCarol.Item()!.Attribute("affiliation")?.Value);
    }

    [TestMethod]
    public async Task Join_NonAnonymousRoom_SelfPresenceHas100AndEveryoneSeesJids()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner", ("muc#roomconfig_whois", ["anyone"]));
        await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var sent = await h.JoinAsync("carol@example.org/c", "room", "Carol");

        var self = sent.Single(s => s.To() == "carol@example.org/c" && s.From() == "room@conference.example.org/Carol");
        CollectionAssert.AreEqual(new[] { 100, 110 }, self.Codes());
        var toBob = sent.Single(s => s.To() == "bob@example.org/b");
        Assert.AreEqual("carol@example.org/c", toBob.Item()!.Attribute("jid")?.Value);
    }

    [TestMethod]
    public async Task Join_PresencePayload_IsBroadcastWithoutMucExtension()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        var enter = St.Enter();
        enter.Add(new XElement(St.Client + "show", "away"), new XElement(St.Client + "status", "brb"));

        var sent = await h.SendAsync(enter, "bob@example.org/b", Room("room", "Bob"));

        var toOwner = sent.Single(s => s.To() == "owner@example.org/a");
        Assert.AreEqual("away", toOwner.Element(St.Client + "show")?.Value);
        Assert.AreEqual("brb", toOwner.Element(St.Client + "status")?.Value);
        Assert.IsNull(toOwner.Element(St.Muc + "x"));
    }

    [TestMethod]
    public async Task Join_NickNeedsPreparation_SelfPresenceHas210()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        var enter = St.Enter();
        // "e" + combining acute is prepared (NFC) to "\u00e9": the service changed the nick.
        enter.SetAttributeValue("to", "room@conference.example.org/Rene\u0301");

        var sent = await h.SendAsync(enter, "bob@example.org/b", Room("room", "Rene\u0301"));

        var self = sent.Single(s => s.To() == "bob@example.org/b" && s.Codes().Contains(110));
        Assert.AreEqual("room@conference.example.org/Ren\u00e9", self.From());
        CollectionAssert.AreEqual(new[] { 110, 210 }, self.Codes());
    }

    [TestMethod]
    public async Task Join_NickAsTyped_No210()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        var enter = St.Enter();
        enter.SetAttributeValue("to", "room@conference.example.org/Bob");

        var sent = await h.SendAsync(enter, "bob@example.org/b", Room("room", "Bob"));

        var self = sent.Single(s => s.To() == "bob@example.org/b" && s.Codes().Contains(110));
        CollectionAssert.AreEqual(new[] { 110 }, self.Codes());
    }

    [TestMethod]
    public async Task Join_SecondSessionSameNick_SharesOccupant()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.JoinAsync("bob@example.org/b1", "room", "Bob");

        var sent = await h.JoinAsync("bob@example.org/b2", "room", "Bob");

        var toB2 = sent.Where(s => s.To() == "bob@example.org/b2").ToList();
        Assert.AreEqual("room@conference.example.org/Owner", toB2[0].From());
        Assert.AreEqual("room@conference.example.org/Bob", toB2[1].From());
        CollectionAssert.Contains(toB2[1].Codes(), 110);
        var count = await h.Service.Registry.AskAsync(Room("room"), r => r.State.OccupantCount, CancellationToken.None);
        Assert.AreEqual(2, count);

        // A groupchat message reaches both sessions.
        var chat = await h.SendAsync(St.Groupchat("hi"), "owner@example.org/a", Room("room"));
        CollectionAssert.AreEquivalent(
            new[] { "owner@example.org/a", "bob@example.org/b1", "bob@example.org/b2" },
            chat.Select(s => s.To()).ToArray());
    }

    [TestMethod]
    public async Task Join_AvailablePresenceAgain_BroadcastsUpdate()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var update = St.Presence(null, new XElement(St.Client + "show", "dnd"));
        var sent = await h.SendAsync(update, "bob@example.org/b", Room("room", "Bob"));

        Assert.AreEqual(2, sent.Count, sent.Describe());
        var toOwner = sent.Single(s => s.To() == "owner@example.org/a");
        Assert.AreEqual("dnd", toOwner.Element(St.Client + "show")?.Value);
        var self = sent.Single(s => s.To() == "bob@example.org/b");
        CollectionAssert.AreEqual(new[] { 110 }, self.Codes());
    }

    [TestMethod]
    public async Task Join_OccupancyTable_RecordsTheSession()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var entries = await h.Occupancy.GetByUserAsync("bob@example.org/b");
        Assert.AreEqual(1, entries.Count);
        Assert.AreEqual("Bob", entries[0].Nick);
        Assert.AreEqual("participant", entries[0].Role);
        Assert.AreEqual("node1", entries[0].NodeId);
    }
}
