using XmppConf.Muc.Service;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Rooms;

/// <summary>XEP-0045 §10.1 creating rooms: locked until configured, instant rooms, creation policy.</summary>
[TestClass]
public sealed class CreationTests
{
    [TestMethod]
    public async Task Join_NoSuchRoom_CreatorGets201And110AsOwnerModerator()
    {
        await using var h = new MucHarness();

        var sent = await h.JoinAsync("owner@example.org/a", "room", "Owner");

        var self = sent[0];
        Assert.AreEqual("room@conference.example.org/Owner", self.From());
        Assert.AreEqual("owner@example.org/a", self.To());
        CollectionAssert.AreEqual(new[] { 110, 201 }, self.Codes());
        Assert.AreEqual("owner", self.Item()!.Attribute("affiliation")?.Value);
        Assert.AreEqual("moderator", self.Item()!.Attribute("role")?.Value);
    }

    [TestMethod]
    public async Task Join_LockedRoom_OthersGetItemNotFound()
    {
        await using var h = new MucHarness();
        await h.JoinAsync("owner@example.org/a", "room", "Owner");

        var sent = await h.JoinAsync("bob@example.org/b", "room", "Bob");

        Assert.AreEqual(1, sent.Count, sent.Describe());
        Assert.AreEqual("error", sent[0].Type());
        Assert.AreEqual("item-not-found", sent[0].ErrorCondition());
        Assert.AreEqual("room@conference.example.org/Bob", sent[0].From());
    }

    [TestMethod]
    public async Task InstantRoom_EmptySubmit_UnlocksRoom()
    {
        await using var h = new MucHarness();
        await h.JoinAsync("owner@example.org/a", "room", "Owner");

        var reply = await h.SendAsync(St.OwnerSubmit(), "owner@example.org/a", Room("room"));
        var sent = await h.JoinAsync("bob@example.org/b", "room", "Bob");

        Assert.AreEqual("result", reply.Single().Type());
        Assert.IsTrue(sent.Any(s => s.To() == "bob@example.org/b" && s.Codes().Contains(110)), sent.Describe());
    }

    [TestMethod]
    public async Task InstantRoom_NoStatus104_BecauseNothingWasAnnounced()
    {
        await using var h = new MucHarness();
        await h.JoinAsync("owner@example.org/a", "room", "Owner");

        var reply = await h.SendAsync(St.OwnerSubmit(), "owner@example.org/a", Room("room"));

        Assert.AreEqual(1, reply.Count, reply.Describe());
    }

    [TestMethod]
    public async Task ReservedRoom_OwnerGetsFormThenSubmits()
    {
        await using var h = new MucHarness();
        await h.JoinAsync("owner@example.org/a", "room", "Owner");

        var form = await h.SendAsync(St.Iq("get", new System.Xml.Linq.XElement(St.MucOwner + "query")), "owner@example.org/a", Room("room"));
        var x = form.Single().Element(St.MucOwner + "query")?.Element(St.Data + "x");
        Assert.IsNotNull(x, form.Describe());
        Assert.AreEqual("form", x.Attribute("type")?.Value);

        var reply = await h.SendAsync(St.OwnerSubmit(("muc#roomconfig_roomname", ["Lobby"])), "owner@example.org/a", Room("room"));
        Assert.AreEqual("result", reply.Single().Type());
        var name = await h.Service.Registry.AskAsync(Room("room"), r => r.Config.Name, CancellationToken.None);
        Assert.AreEqual("Lobby", name);
    }

    [TestMethod]
    public async Task ReservedRoom_CancelInitialConfiguration_DestroysRoom()
    {
        await using var h = new MucHarness();
        await h.JoinAsync("owner@example.org/a", "room", "Owner");
        var cancel = St.Iq("set", new System.Xml.Linq.XElement(St.MucOwner + "query",
            new System.Xml.Linq.XElement(St.Data + "x", new System.Xml.Linq.XAttribute("type", "cancel"))));

        var sent = await h.SendAsync(cancel, "owner@example.org/a", Room("room"));

        Assert.AreEqual("result", sent[0].Type(), sent.Describe());
        Assert.IsTrue(sent.Skip(1).Any(s => s.To() == "owner@example.org/a" && s.Type() == "unavailable"), sent.Describe());
        Assert.AreEqual(0, h.Service.Registry.ActiveCount);
    }

    [TestMethod]
    public async Task Join_WithoutMucExtension_CreatesInstantRoom()
    {
        await using var h = new MucHarness();
        await h.SendAsync(St.Presence(), "owner@example.org/a", Room("room", "Owner"));

        var sent = await h.JoinAsync("bob@example.org/b", "room", "Bob");

        Assert.IsTrue(sent.Any(s => s.To() == "bob@example.org/b" && s.Codes().Contains(110)), sent.Describe());
    }

    [TestMethod]
    public async Task Config_ByNonOwner_Forbidden()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var sent = await h.SendAsync(St.Iq("get", new System.Xml.Linq.XElement(St.MucOwner + "query")), "bob@example.org/b", Room("room"));

        Assert.AreEqual("forbidden", sent.Single().ErrorCondition());
    }

    [TestMethod]
    [DataRow(RoomCreationPolicy.Anyone, "remote@elsewhere.net/r", true)]
    [DataRow(RoomCreationPolicy.LocalUsers, "local@example.org/r", true)]
    [DataRow(RoomCreationPolicy.LocalUsers, "remote@elsewhere.net/r", false)]
    [DataRow(RoomCreationPolicy.AdminsOnly, "local@example.org/r", false)]
    [DataRow(RoomCreationPolicy.AdminsOnly, "admin@example.org/r", true)]
    public async Task Join_CreationPolicy_AllowsOrRefusesWithNotAllowed(RoomCreationPolicy policy, string user, bool allowed)
    {
        await using var h = new MucHarness(new MucOptions { RoomCreation = policy }, isAdmin: j => j.Local == "admin");

        var sent = await h.JoinAsync(user, "room", "Nick");

        if (allowed)
        {
            CollectionAssert.Contains(sent[0].Codes(), 201, sent.Describe());
        }
        else
        {
            Assert.AreEqual(1, sent.Count, sent.Describe());
            Assert.AreEqual("not-allowed", sent[0].ErrorCondition());
            Assert.AreEqual(0, h.Service.Registry.ActiveCount);
        }
    }

    [TestMethod]
    public async Task Message_ToNoSuchRoom_ItemNotFound()
    {
        await using var h = new MucHarness();

        var sent = await h.SendAsync(St.Groupchat("hello"), "bob@example.org/b", Room("nowhere"));

        Assert.AreEqual("item-not-found", sent.Single().ErrorCondition());
        Assert.AreEqual("room@conference.example.org".Replace("room", "nowhere"), sent[0].From());
    }

    [TestMethod]
    public async Task Join_TooManyRooms_ResourceConstraint()
    {
        await using var h = new MucHarness(new MucOptions { MaxRoomsPerService = 1 });
        await h.CreateInstantRoomAsync("owner@example.org/a", "one", "Owner");

        var sent = await h.JoinAsync("owner@example.org/a", "two", "Owner");

        Assert.AreEqual("resource-constraint", sent.Single().ErrorCondition());
    }
}
