using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Rooms;

/// <summary>XEP-0045 §7.6 changing nickname.</summary>
[TestClass]
public sealed class NickChangeTests
{
    [TestMethod]
    public async Task ChangeNick_Free_UnavailableWith303ThenAvailableFromNewNick()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var sent = await h.SendAsync(St.Presence(), "bob@example.org/b", Room("room", "Robert"));

        var toOwner = sent.Where(s => s.To() == "owner@example.org/a").ToList();
        var toBob = sent.Where(s => s.To() == "bob@example.org/b").ToList();
        Assert.AreEqual(2, toOwner.Count, sent.Describe());
        Assert.AreEqual(2, toBob.Count, sent.Describe());

        Assert.AreEqual("unavailable", toOwner[0].Type());
        Assert.AreEqual("room@conference.example.org/Bob", toOwner[0].From());
        Assert.AreEqual("Robert", toOwner[0].Item()!.Attribute("nick")?.Value);
        Assert.AreEqual("participant", toOwner[0].Item()!.Attribute("role")?.Value);
        CollectionAssert.AreEqual(new[] { 303 }, toOwner[0].Codes());
        Assert.IsNull(toOwner[1].Type());
        Assert.AreEqual("room@conference.example.org/Robert", toOwner[1].From());

        CollectionAssert.AreEqual(new[] { 110, 303 }, toBob[0].Codes());
        CollectionAssert.AreEqual(new[] { 110 }, toBob[1].Codes());
        Assert.AreEqual("room@conference.example.org/Robert", toBob[1].From());

        var entry = (await h.Occupancy.GetByUserAsync("bob@example.org/b")).Single();
        Assert.AreEqual("Robert", entry.Nick);
    }

    [TestMethod]
    public async Task ChangeNick_Taken_ConflictAndNothingChanges()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var sent = await h.SendAsync(St.Presence(), "bob@example.org/b", Room("room", "Owner"));

        Assert.AreEqual("conflict", sent.Single().ErrorCondition());
        Assert.AreEqual("room@conference.example.org/Owner", sent[0].From());
        var nick = await h.Service.Registry.AskAsync(Room("room"), r => r.State.FindBySession(J("bob@example.org/b"))!.Nick, CancellationToken.None);
        Assert.AreEqual("Bob", nick);
    }

    [TestMethod]
    public async Task ChangeNick_ThenMessage_ComesFromNewNick()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.JoinAsync("bob@example.org/b", "room", "Bob");
        await h.SendAsync(St.Presence(), "bob@example.org/b", Room("room", "Robert"));

        var sent = await h.SendAsync(St.Groupchat("hi"), "bob@example.org/b", Room("room"));
        var oldNick = await h.JoinAsync("carol@example.org/c", "room", "Bob");

        Assert.IsTrue(sent.All(s => s.From() == "room@conference.example.org/Robert"));
        Assert.IsTrue(oldNick.Any(s => s.Codes().Contains(110)), "the old nick is free again");
    }
}
