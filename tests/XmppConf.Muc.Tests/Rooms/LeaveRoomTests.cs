using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Rooms;

/// <summary>XEP-0045 §7.14 leaving, and sessions that disappear without leaving.</summary>
[TestClass]
public sealed class LeaveRoomTests
{
    [TestMethod]
    public async Task Leave_WithStatusText_EveryoneGetsUnavailableWithText()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var leave = St.Presence("unavailable", new System.Xml.Linq.XElement(St.Client + "status", "gone fishing"));
        var sent = await h.SendAsync(leave, "bob@example.org/b", Room("room", "Bob"));

        Assert.AreEqual(2, sent.Count, sent.Describe());
        foreach (var p in sent)
        {
            Assert.AreEqual("unavailable", p.Type());
            Assert.AreEqual("room@conference.example.org/Bob", p.From());
            Assert.AreEqual("gone fishing", p.Element(St.Client + "status")?.Value);
            Assert.AreEqual("none", p.Item()!.Attribute("role")?.Value);
        }
        CollectionAssert.AreEqual(new[] { 110 }, sent.Single(s => s.To() == "bob@example.org/b").Codes());
        CollectionAssert.AreEqual(Array.Empty<int>(), sent.Single(s => s.To() == "owner@example.org/a").Codes());
        Assert.AreEqual(0, (await h.Occupancy.GetByUserAsync("bob@example.org/b")).Count);
    }

    [TestMethod]
    public async Task Leave_LastOccupantOfTemporaryRoom_RoomIsGone()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");

        await h.SendAsync(St.Presence("unavailable"), "owner@example.org/a", Room("room", "Owner"));
        var sent = await h.SendAsync(St.Groupchat("anyone?"), "owner@example.org/a", Room("room"));

        Assert.AreEqual("item-not-found", sent.Single().ErrorCondition());
        Assert.AreEqual(0, h.Service.Registry.ActiveCount);
    }

    [TestMethod]
    public async Task Leave_OneOfTwoSessions_OthersSeeNothingLeave()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.JoinAsync("bob@example.org/b1", "room", "Bob");
        await h.JoinAsync("bob@example.org/b2", "room", "Bob");

        var sent = await h.SendAsync(St.Presence("unavailable"), "bob@example.org/b2", Room("room", "Bob"));

        Assert.IsTrue(sent.Any(s => s.To() == "bob@example.org/b2" && s.Type() == "unavailable"), sent.Describe());
        Assert.IsFalse(sent.Any(s => s.Type() == "unavailable" && s.To() != "bob@example.org/b2"), sent.Describe());
        var count = await h.Service.Registry.AskAsync(Room("room"), r => r.State.OccupantCount, CancellationToken.None);
        Assert.AreEqual(2, count);
    }

    [TestMethod]
    public async Task SinkReportsGone_OccupantRemovedAndOthersToldUnavailable()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.JoinAsync("bob@example.org/b", "room", "Bob");
        h.Sink.Gone.Add("bob@example.org/b");

        var sent = await h.SendAsync(St.Groupchat("hello"), "owner@example.org/a", Room("room"));

        var leave = sent.Single(s => s.Name.LocalName == "presence");
        Assert.AreEqual("owner@example.org/a", leave.To());
        Assert.AreEqual("room@conference.example.org/Bob", leave.From());
        Assert.AreEqual("unavailable", leave.Type());
        var count = await h.Service.Registry.AskAsync(Room("room"), r => r.State.OccupantCount, CancellationToken.None);
        Assert.AreEqual(1, count);
    }

    [TestMethod]
    public async Task SessionEnded_OccupantRemovedFromEveryRoom()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "one", "Owner");
        await h.CreateInstantRoomAsync("owner@example.org/a", "two", "Owner");
        await h.JoinAsync("bob@example.org/b", "one", "Bob");
        await h.JoinAsync("bob@example.org/b", "two", "Bob");
        h.Sink.Take();

        await h.Service.SessionEndedAsync(J("bob@example.org/b"), CancellationToken.None);
        await h.Service.Registry.AskAsync(Room("one"), _ => 0, CancellationToken.None);
        await h.Service.Registry.AskAsync(Room("two"), _ => 0, CancellationToken.None);
        var sent = h.Sink.Take();

        Assert.AreEqual(2, sent.Count, sent.Describe());
        Assert.IsTrue(sent.All(s => s.Type() == "unavailable" && s.To() == "owner@example.org/a"));
        Assert.AreEqual(0, (await h.Occupancy.GetByUserAsync("bob@example.org/b")).Count);
    }

    [TestMethod]
    public async Task Unavailable_FromNonOccupant_Ignored()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");

        var sent = await h.SendAsync(St.Presence("unavailable"), "bob@example.org/b", Room("room", "Bob"));

        Assert.AreEqual(0, sent.Count, sent.Describe());
    }
}
