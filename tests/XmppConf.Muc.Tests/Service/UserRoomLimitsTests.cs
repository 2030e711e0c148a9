using System.Xml.Linq;
using XmppConf.Muc.Service;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.Cast;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Service;

/// <summary>
/// Issue 5 service-level limits: Muc:RoomCreationsPerUserPerHour (RoomRegistry) and
/// Muc:MaxRoomsJoinedPerUser (JoinedRooms), including that every way out of a room gives the
/// room back to the user's count.
/// </summary>
[TestClass]
public sealed class UserRoomLimitsTests
{
    private static void AssertResourceConstraint(List<XElement> sent)
    {
        var error = sent.Single(s => s.Type() == "error");
        Assert.AreEqual("resource-constraint", error.ErrorCondition(), sent.Describe());
        Assert.AreEqual("wait", error.Element(St.Client + "error")!.Attribute("type")!.Value);
    }

    [TestMethod]
    public async Task Create_OverHourlyRate_RefusedUntilBucketRefills()
    {
        await using var h = new MucHarness(new MucOptions { RoomCreationsPerUserPerHour = 2 });
        await h.CreateInstantRoomAsync(Owner, "one", "O");
        await h.CreateInstantRoomAsync(Owner, "two", "O");

        AssertResourceConstraint(await h.JoinAsync(Owner, "three", "O"));
        Assert.AreEqual(0, h.Service.Registry.ActiveRooms.Count(a => a.RoomJid == Room("three")), "no room was created");
        await h.CreateInstantRoomAsync(Bob, "bobs", "B"); // per user

        h.Time.Advance(TimeSpan.FromMinutes(30)); // 2 per hour: one creation every half hour
        await h.CreateInstantRoomAsync(Owner, "three", "O");
        AssertResourceConstraint(await h.JoinAsync(Owner, "four", "O"));
    }

    [TestMethod]
    public async Task Create_EnteringExistingRooms_NotCounted()
    {
        await using var h = new MucHarness(new MucOptions { RoomCreationsPerUserPerHour = 1 });
        await h.CreateInstantRoomAsync(Owner, "one", "O");
        await h.CreateInstantRoomAsync(Bob, "two", "B");

        Assert.IsTrue((await h.JoinAsync(Owner, "two", "O")).Any(s => s.Codes().Contains(110)));
    }

    [TestMethod]
    public async Task Create_ServerAdmin_Exempt()
    {
        await using var h = new MucHarness(new MucOptions { RoomCreationsPerUserPerHour = 1 }, isAdmin: j => j.ToString() == "owner@example.org");
        for (var i = 0; i < 3; i++) await h.CreateInstantRoomAsync(Owner, "r" + i, "O");
    }

    private static async Task<MucHarness> BobInTwoRoomsAsync()
    {
        var h = new MucHarness(new MucOptions { MaxRoomsJoinedPerUser = 2 });
        // Each room its own owner: owners are users too, and count against the same limit.
        await h.CreateInstantRoomAsync(Owner, "r1", "Owner");
        await h.CreateInstantRoomAsync("o2@example.org/a", "r2", "Owner");
        await h.CreateInstantRoomAsync("o3@example.org/a", "r3", "Owner");
        await h.JoinAsync(Bob, "r1", "Bob");
        await h.JoinAsync(Bob, "r2", "Bob");
        return h;
    }

    [TestMethod]
    public async Task Join_OverMaxRoomsJoined_ResourceConstraint()
    {
        await using var h = await BobInTwoRoomsAsync();

        var sent = await h.JoinAsync(Bob, "r3", "Bob");

        AssertResourceConstraint(sent);
        Assert.AreEqual(1, sent.Count, "nobody else hears of the refused entry");
        Assert.AreEqual(2, h.Service.Registry.Joined.CountOf(J(Bob).Bare));
        // A second session or nick in a room already counted is not another room.
        Assert.IsTrue((await h.JoinAsync("bob@example.org/other", "r1", "Bob")).Any(s => s.Codes().Contains(110)));
    }

    [TestMethod]
    [DataRow("leave")]
    [DataRow("kick")]
    [DataRow("ban")]
    [DataRow("destroy")]
    [DataRow("session-ended")]
    [DataRow("presence-error")]
    public async Task Join_AfterLeavingByAnyPath_RoomIsGivenBack(string how)
    {
        await using var h = await BobInTwoRoomsAsync();

        switch (how)
        {
            case "leave":
                await h.SendAsync(St.Presence("unavailable"), Bob, Room("r1", "Bob"));
                break;
            case "kick":
                await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "none")), Owner, Room("r1"));
                break;
            case "ban":
                await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "outcast")), Owner, Room("r1"));
                break;
            case "destroy":
                await h.SendAsync(St.Iq("set", new XElement(St.MucOwner + "query", new XElement(St.MucOwner + "destroy"))), Owner, Room("r1"));
                break;
            case "session-ended":
                await h.Service.SessionEndedAsync(J(Bob), CancellationToken.None);
                await h.SettleAsync(Room("r1"));
                await h.SettleAsync(Room("r2"));
                break;
            case "presence-error":
                await h.SendAsync(St.Presence("error"), Bob, Room("r1", "Bob"));
                break;
        }

        var expected = how == "session-ended" ? 0 : 1;
        Assert.AreEqual(expected, h.Service.Registry.Joined.CountOf(J(Bob).Bare), how);
        Assert.IsTrue((await h.JoinAsync(Bob, "r3", "Bob")).Any(s => s.Codes().Contains(110)), how);
    }

    [TestMethod]
    public async Task Join_TwoNicksInOneRoom_RoomGivenBackWhenTheLastLeaves()
    {
        await using var h = await BobInTwoRoomsAsync();
        await h.JoinAsync("bob@example.org/other", "r1", "Bobby");
        Assert.AreEqual(2, h.Service.Registry.Joined.CountOf(J(Bob).Bare));

        await h.SendAsync(St.Presence("unavailable"), Bob, Room("r1", "Bob"));
        Assert.AreEqual(2, h.Service.Registry.Joined.CountOf(J(Bob).Bare), "still in r1 as Bobby");
        await h.SendAsync(St.Presence("unavailable"), "bob@example.org/other", Room("r1", "Bobby"));
        Assert.AreEqual(1, h.Service.Registry.Joined.CountOf(J(Bob).Bare));
    }

    [TestMethod]
    public async Task Join_ServerAdmin_NotLimited()
    {
        await using var h = new MucHarness(new MucOptions { MaxRoomsJoinedPerUser = 1 }, isAdmin: j => j.ToString() == "bob@example.org");
        await h.CreateInstantRoomAsync(Owner, "r1", "Owner");
        await h.CreateInstantRoomAsync("o2@example.org/a", "r2", "Owner");
        await h.JoinAsync(Bob, "r1", "Bob");
        Assert.IsTrue((await h.JoinAsync(Bob, "r2", "Bob")).Any(s => s.Codes().Contains(110)));
    }
}
