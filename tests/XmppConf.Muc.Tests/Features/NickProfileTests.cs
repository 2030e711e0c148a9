using XmppConf.Muc.Rooms;
using XmppConf.Muc.Service;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.Cast;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Features;

/// <summary>
/// Issue 5 nicknames (NickFeature.TryEnforce): the RFC 8266 Nickname profile on entry and nick
/// change, Muc:MaxNickLength, and conflicts judged on the case-folded comparison key.
/// </summary>
[TestClass]
public sealed class NickProfileTests
{
    [TestMethod]
    public async Task Join_NickWithExtraSpaces_EnforcedWith210()
    {
        await using var h = await RoomWithBobAndCarolAsync();

        var sent = await h.SendAsync(St.Enter(), "dave@example.org/d", Room("room", "  Dave   the  Bold "));

        var self = sent.Single(s => s.To() == "dave@example.org/d" && s.Codes().Contains(110));
        Assert.AreEqual("room@conference.example.org/Dave the Bold", self.From());
        CollectionAssert.Contains(self.Codes(), 210, "XEP-0045 §7.2.3: the service changed the nick");
    }

    [TestMethod]
    [DataRow("   ")]
    [DataRow("\u2003\u00A0")]
    public Task Join_NickOnlySpaces_JidMalformed(string nick) => JoinRefused(nick, "jid-malformed");

    [TestMethod]
    public Task Join_NickOverMaxLength_JidMalformed() => JoinRefused(new string('x', 65), "jid-malformed");

    [TestMethod]
    public async Task Join_NickAtMaxLengthInCodePoints_Allowed()
    {
        await using var h = await RoomWithBobAndCarolAsync();
        // 64 astral code points are 128 UTF-16 units and 256 UTF-8 bytes: the limit counts code points.
        var nick = string.Concat(Enumerable.Repeat("\U0001F600", 64));
        Assert.IsTrue((await h.JoinAsync("dave@example.org/d", "room", nick)).Any(s => s.Codes().Contains(110)));
    }

    private static async Task JoinRefused(string nick, string condition)
    {
        await using var h = await RoomWithBobAndCarolAsync();
        var sent = await h.JoinAsync("dave@example.org/d", "room", nick);
        Assert.AreEqual(1, sent.Count, sent.Describe());
        Assert.AreEqual(condition, sent[0].ErrorCondition());
        Assert.IsNull(await h.Service.Registry.AskAsync(Room("room"), r => r.State.FindByBareJid(J("dave@example.org")), CancellationToken.None));
    }

    [TestMethod]
    [DataRow("bob")]
    [DataRow("BOB")]
    [DataRow(" Bob ")]
    [DataRow("\uFF22\uFF4F\uFF42")] // fullwidth
    public async Task Join_NickEqualUnderComparison_Conflict(string nick)
    {
        await using var h = await RoomWithBobAndCarolAsync();
        var sent = await h.JoinAsync("dave@example.org/d", "room", nick);
        Assert.AreEqual("conflict", sent.Single().ErrorCondition());
    }

    [TestMethod]
    public async Task NickChange_ToInvalidOrTooLong_NotAcceptable()
    {
        await using var h = await RoomWithBobAndCarolAsync();

        Assert.AreEqual("not-acceptable", (await h.SendAsync(St.Presence(), Bob, Room("room", "   "))).Single().ErrorCondition());
        Assert.AreEqual("not-acceptable", (await h.SendAsync(St.Presence(), Bob, Room("room", new string('y', 65)))).Single().ErrorCondition());
        Assert.AreEqual(Role.Participant, await h.RoleAsync("room", "Bob"));
    }

    [TestMethod]
    public async Task NickChange_ToOthersNickInAnotherCase_Conflict()
    {
        await using var h = await RoomWithBobAndCarolAsync();
        Assert.AreEqual("conflict", (await h.SendAsync(St.Presence(), Bob, Room("room", "CAROL"))).Single().ErrorCondition());
    }

    [TestMethod]
    public async Task NickChange_ToOwnOtherOccupantsNick_ConflictNotCrash()
    {
        await using var h = await RoomWithBobAndCarolAsync();
        await h.JoinAsync("bob@example.org/other", "room", "Bobby");

        var sent = await h.SendAsync(St.Presence(), "bob@example.org/other", Room("room", "bob"));

        Assert.AreEqual("conflict", sent.Single().ErrorCondition(), "two occupants cannot share one nick");
    }

    [TestMethod]
    public async Task NickChange_CaseOnly_Allowed()
    {
        await using var h = await RoomWithBobAndCarolAsync();
        var sent = await h.SendAsync(St.Presence(), Bob, Room("room", "BOB"));
        Assert.IsTrue(sent.Any(s => s.Codes().Contains(303)), sent.Describe());
        Assert.AreEqual("BOB", await h.Service.Registry.AskAsync(Room("room"), r => r.State.FindBySession(J(Bob))!.Nick, CancellationToken.None));
    }

    [TestMethod]
    public async Task PrivateMessage_ToNickInAnotherCase_ReachesTheOccupant()
    {
        await using var h = await RoomWithBobAndCarolAsync();
        var sent = await h.SendAsync(St.Chat("psst"), Bob, Room("room", "carol"));
        Assert.AreEqual(Carol, sent.Single().To());
    }

    [TestMethod]
    public async Task Join_ReservedNickInAnotherCase_Conflict()
    {
        await using var h = await RoomWithBobAndCarolAsync();
        await h.SeedAffiliationAsync("room", "witch@example.org", Affiliation.Member, nick: "ThirdWitch");

        Assert.AreEqual("conflict", (await h.JoinAsync("dave@example.org/d", "room", "thirdwitch")).Single().ErrorCondition());
    }

    [TestMethod]
    public async Task MaxNickLength_Configurable()
    {
        await using var h = new MucHarness(new MucOptions { MaxNickLength = 3 });
        Assert.AreEqual("jid-malformed", (await h.JoinAsync(Owner, "room", "Abcd")).Single().ErrorCondition());
        Assert.IsTrue((await h.JoinAsync(Owner, "room", "Abc")).Any(s => s.Codes().Contains(110)));
    }
}
