using System.Xml.Linq;
using XmppConf.Muc.Service;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.Cast;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Rooms;

/// <summary>
/// Issue 5 flood limits in a room (RoomRateLimits): per-user message and presence buckets and
/// the room's groupchat rate. Over a limit: wait/resource-constraint to the sender, nothing
/// relayed, the sender stays in the room. Time is the harness's manual clock.
/// </summary>
[TestClass]
public sealed class RoomRateLimitsTests
{
    private static async Task<MucHarness> RoomAsync(MucOptions options)
    {
        var h = new MucHarness(options);
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");
        await h.JoinAsync(Bob, "room", "Bob");
        await h.JoinAsync(Carol, "room", "Carol");
        return h;
    }

    private static MucOptions Unlimited() => new()
    {
        OccupantMessagesPerSecond = 0,
        OccupantPresencesPerSecond = 0,
        RoomMessagesPerSecond = 0,
        RoomPresencesPerSecond = 0,
    };

    private static void AssertThrottled(List<XElement> sent, string to)
    {
        var error = sent.Single();
        Assert.AreEqual("error", error.Type(), sent.Describe());
        Assert.AreEqual(to, error.To());
        Assert.AreEqual("resource-constraint", error.ErrorCondition());
        Assert.AreEqual("wait", error.Element(St.Client + "error")!.Attribute("type")!.Value);
    }

    [TestMethod]
    public async Task Groupchat_OverOccupantBurst_BouncedNotRelayed_ThenRefillsWithTime()
    {
        var options = Unlimited();
        options.OccupantMessagesPerSecond = 1;
        options.OccupantMessageBurst = 3;
        await using var h = await RoomAsync(options);

        for (var i = 0; i < 3; i++)
        {
            Assert.AreEqual(3, (await h.SendAsync(St.Groupchat("hi " + i), Bob, Room("room"))).Count, "within the burst: relayed to all three");
        }
        AssertThrottled(await h.SendAsync(St.Groupchat("one too many"), Bob, Room("room")), Bob);
        Assert.AreEqual(3, (await h.SendAsync(St.Groupchat("carol is not bob"), Carol, Room("room"))).Count, "the limit is per user");

        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.AreEqual(3, (await h.SendAsync(St.Groupchat("a second later"), Bob, Room("room"))).Count);
        Assert.IsNotNull(await h.RoleAsync("room", "Bob"), "a throttled occupant stays in the room");
    }

    [TestMethod]
    public async Task PrivateMessage_CountsAgainstTheSameBucket()
    {
        var options = Unlimited();
        options.OccupantMessagesPerSecond = 1;
        options.OccupantMessageBurst = 2;
        await using var h = await RoomAsync(options);

        await h.SendAsync(St.Groupchat("one"), Bob, Room("room"));
        Assert.AreEqual(1, (await h.SendAsync(St.Chat("two"), Bob, Room("room", "Carol"))).Count);
        AssertThrottled(await h.SendAsync(St.Chat("three"), Bob, Room("room", "Carol")), Bob);
    }

    [TestMethod]
    public async Task Groupchat_OverRoomRate_BouncedForAnySender()
    {
        var options = Unlimited();
        options.RoomMessagesPerSecond = 2;
        await using var h = await RoomAsync(options);

        await h.SendAsync(St.Groupchat("one"), Bob, Room("room"));
        await h.SendAsync(St.Groupchat("two"), Carol, Room("room"));
        AssertThrottled(await h.SendAsync(St.Groupchat("three"), Owner, Room("room")), Owner);

        h.Time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.AreEqual(3, (await h.SendAsync(St.Groupchat("half a second later"), Owner, Room("room"))).Count);
    }

    [TestMethod]
    public async Task Groupchat_RefusedSenders_DoNotUseUpTheRoomRate()
    {
        var options = Unlimited();
        options.RoomMessagesPerSecond = 1;
        await using var h = await RoomAsync(options);

        // A non-occupant's groupchat is refused before it reaches the room's bucket.
        for (var i = 0; i < 5; i++)
        {
            Assert.AreEqual("not-acceptable", (await h.SendAsync(St.Groupchat("spam"), "mallory@example.org/m", Room("room"))).Single().ErrorCondition());
        }
        Assert.AreEqual(3, (await h.SendAsync(St.Groupchat("still room for me"), Bob, Room("room"))).Count);
    }

    [TestMethod]
    public async Task Presence_OverRoomRate_EntriesAndStatusUpdatesBounced_LeaveStillAccepted()
    {
        var options = Unlimited();
        options.RoomPresencesPerSecond = 2;
        await using var h = new MucHarness(options);
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");
        await h.JoinAsync(Bob, "room", "Bob"); // the owner's and Bob's entries: a second's worth

        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.IsTrue((await h.JoinAsync(Carol, "room", "Carol")).Any(s => s.Codes().Contains(110)), "an entry takes the first token");
        Assert.AreEqual(3, (await h.SendAsync(St.Presence(null, new XElement(St.Client + "show", "away")), Bob, Room("room", "Bob"))).Count, "a status update takes the second");
        AssertThrottled(await h.SendAsync(St.Presence(null, new XElement(St.Client + "show", "dnd")), Carol, Room("room", "Carol")), Carol);
        AssertThrottled(await h.SendAsync(St.Presence(), "dave@example.org/d", Room("room", "Dave")), "dave@example.org/d");
        Assert.IsNull(await h.RoleAsync("room", "Dave"), "the refused entry made no occupant");

        var left = await h.SendAsync(St.Presence("unavailable"), Bob, Room("room", "Bob"));
        Assert.IsTrue(left.All(s => s.Type() == "unavailable"), "leaving is never refused: " + left.Describe());
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.IsTrue((await h.JoinAsync("dave@example.org/d", "room", "Dave")).Any(s => s.Codes().Contains(110)), "a second later the room takes entries again");
    }

    [TestMethod]
    public async Task Presence_RefusedEntries_DoNotUseUpTheRoomPresenceRate()
    {
        var options = Unlimited();
        options.RoomPresencesPerSecond = 1;
        await using var h = new MucHarness(options);
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.JoinAsync(Bob, "room", "Bob");
        h.Time.Advance(TimeSpan.FromSeconds(1));
        // A nick held by another user: refused by the entry rules before the room's bucket.
        for (var i = 0; i < 5; i++)
        {
            Assert.AreEqual("conflict", (await h.SendAsync(St.Presence(), $"mallory{i}@example.org/m", Room("room", "Bob"))).Single().ErrorCondition());
        }
        Assert.IsTrue((await h.JoinAsync(Carol, "room", "Carol")).Any(s => s.Codes().Contains(110)), "the room's token is still there");
    }

    [TestMethod]
    public async Task Presence_OverBurst_Bounced_LeaveStillAccepted()
    {
        var options = Unlimited();
        options.OccupantPresencesPerSecond = 1;
        options.OccupantPresenceBurst = 2;
        await using var h = await RoomAsync(options);

        // The entry took one token; a status change takes the second.
        Assert.AreEqual(3, (await h.SendAsync(St.Presence(null, new XElement(St.Client + "show", "away")), Bob, Room("room", "Bob"))).Count);
        AssertThrottled(await h.SendAsync(St.Presence(null, new XElement(St.Client + "show", "dnd")), Bob, Room("room", "Bob")), Bob);
        AssertThrottled(await h.SendAsync(St.Presence(), Bob, Room("room", "Robert")), Bob);
        Assert.AreEqual("Bob", (await h.Service.Registry.AskAsync(Room("room"), r => r.State.FindBySession(J(Bob))?.Nick, CancellationToken.None)));

        var left = await h.SendAsync(St.Presence("unavailable"), Bob, Room("room", "Bob"));
        Assert.IsTrue(left.All(s => s.Type() == "unavailable"), "leaving is never refused: " + left.Describe());
        Assert.IsNull(await h.RoleAsync("room", "Bob"));
    }

    [TestMethod]
    public async Task JoinLeaveLoop_BucketOutlivesTheOccupant()
    {
        var options = Unlimited();
        options.OccupantPresencesPerSecond = 1;
        options.OccupantPresenceBurst = 3;
        await using var h = await RoomAsync(options); // Bob's entry: 1 token

        await h.SendAsync(St.Presence("unavailable"), Bob, Room("room", "Bob"));
        Assert.IsTrue((await h.JoinAsync(Bob, "room", "Bob")).Any(s => s.Codes().Contains(110))); // 2nd
        await h.SendAsync(St.Presence("unavailable"), Bob, Room("room", "Bob"));
        await h.JoinAsync(Bob, "room", "Bob"); // 3rd
        await h.SendAsync(St.Presence("unavailable"), Bob, Room("room", "Bob"));

        AssertThrottled(await h.JoinAsync(Bob, "room", "Bob"), Bob);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.IsTrue((await h.JoinAsync(Bob, "room", "Bob")).Any(s => s.Codes().Contains(110)));
    }

    [TestMethod]
    public async Task ManyUsersComingAndGoing_BucketTableStaysNearRoomSize()
    {
        await using var h = await RoomAsync(new MucOptions());

        for (var i = 0; i < 300; i++)
        {
            var user = $"u{i}@example.org/r";
            await h.JoinAsync(user, "room", "u" + i);
            await h.SendAsync(St.Groupchat("hello"), user, Room("room"));
            await h.SendAsync(St.Presence("unavailable"), user, Room("room", "u" + i));
            h.Time.Advance(TimeSpan.FromSeconds(30)); // long enough for every bucket to refill
        }

        var tracked = await h.Service.Registry.AskAsync(Room("room"), r => r.Limits.TrackedUsers, CancellationToken.None);
        Assert.IsTrue(tracked <= 2 * 3 + 64 + 1, $"{tracked} buckets kept for a room of 3");
    }

    [TestMethod]
    public async Task Defaults_AHumanPastingAndChatting_NeverThrottled()
    {
        await using var h = await RoomAsync(new MucOptions());

        // A pasted block of 25 lines at once, then a minute of chatting at one message a second.
        for (var i = 0; i < 25; i++)
        {
            Assert.AreEqual(3, (await h.SendAsync(St.Groupchat("line " + i), Bob, Room("room"))).Count);
        }
        for (var i = 0; i < 60; i++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.AreEqual(3, (await h.SendAsync(St.Groupchat("chat " + i), Bob, Room("room"))).Count);
        }
    }

    [TestMethod]
    public async Task Invite_ManyInviteesInOneStanza_EachCostsAToken_AllOrNothing()
    {
        var options = Unlimited();
        options.OccupantMessagesPerSecond = 1;
        options.OccupantMessageBurst = 5;
        await using var h = await RoomAsync(options);
        await h.SendAsync(St.OwnerSubmit(("muc#roomconfig_allowinvites", ["1"])), Owner, Room("room"));

        XElement Invite(int count) => new(St.Client + "message", new XAttribute("id", St.NextId()),
            new XElement(St.MucUser + "x", Enumerable.Range(0, count).Select(i =>
                new XElement(St.MucUser + "invite", new XAttribute("to", $"friend{i}@example.org")))));

        AssertThrottled(await h.SendAsync(Invite(100), Bob, Room("room")), Bob);
        Assert.AreEqual(4, (await h.SendAsync(Invite(4), Bob, Room("room"))).Count, "the refused stanza cost one token, this one four");
    }

    /// <summary>
    /// The bench's join-storm (one room, every user entering at once, no clock advance) stays
    /// unthrottled under the defaults: each joiner spends one token of its own bucket and no room
    /// budget. 200 users here (the recording sink makes n² presences slow); the limits involved do
    /// not depend on the room's size, and the bench itself runs 1000.
    /// </summary>
    [TestMethod]
    public async Task Defaults_JoinStorm_NoneRefused()
    {
        const int users = 200;
        await using var h = new MucHarness(new MucOptions { DefaultMaxUsers = 1000 });
        await h.CreateInstantRoomAsync("user0@example.org/r", "storm", "n0");

        for (var i = 1; i < users; i++)
        {
            await h.Service.RouteAsync(St.Enter(), J($"user{i}@example.org/r"), Room("storm", "n" + i), CancellationToken.None);
        }
        await h.SettleAsync(Room("storm"));

        Assert.AreEqual(users, await h.Service.Registry.AskAsync(Room("storm"), r => r.State.OccupantCount, CancellationToken.None));
        h.Sink.Take();
    }

    /// <summary>
    /// The bench's muc-fanout: 20 occupants each sending at a steady rate. At 5 msg/s the
    /// defaults never refuse; at 20 msg/s they do, and the bench's raised settings do not.
    /// </summary>
    [TestMethod]
    [DataRow(5, false, 0)]
    [DataRow(20, true, 0)]
    [DataRow(20, false, -1)]
    public async Task Fanout_TwentyOccupantsAtSteadyRate_ThrottledOnlyAboveDefaults(int rate, bool benchSettings, int expectedRefusals)
    {
        var options = new MucOptions();
        if (benchSettings)
        {
            options.OccupantMessagesPerSecond = 1000;
            options.OccupantMessageBurst = 1000;
            options.RoomMessagesPerSecond = 1_000_000;
        }
        await using var h = new MucHarness(options);
        await h.CreateInstantRoomAsync("u0@example.org/r", "fanout", "n0");
        for (var i = 1; i < 20; i++) await h.JoinAsync($"u{i}@example.org/r", "fanout", "n" + i);

        // 10 s at 5 msg/s (past the burst into the sustained rate); 3 s are enough to exceed it at 20.
        var seconds = rate == 5 ? 10 : 3;
        var refusals = 0;
        var step = TimeSpan.FromSeconds(1.0 / (rate * 20));
        for (var k = 0; k < rate * 20 * seconds; k++)
        {
            h.Time.Advance(step);
            var sent = await h.SendAsync(St.Groupchat("m" + k), $"u{k % 20}@example.org/r", Room("fanout"));
            if (sent.Count == 1 && sent[0].Type() == "error") refusals++;
        }

        if (expectedRefusals >= 0) Assert.AreEqual(expectedRefusals, refusals);
        else Assert.IsTrue(refusals > 0, "20 msg/s per occupant is over the default limits");
    }
}
