using XmppConf.Muc.Rooms;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;
using static XmppConf.Muc.Tests.TestKit.Cast;

namespace XmppConf.Muc.Tests.Features;

/// <summary>XEP-0045 §9.1 banning a user and §9.2 modifying the ban list (affiliation outcast).</summary>
[TestClass]
public sealed class BanTests
{

    [TestMethod]
    public async Task Ban_PresentUser_Removed301AndRefusedOnReturn()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();

        var sent = await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "outcast", reason: "Treason")), Owner, Room("room"));

        XmlAssert.Same("""
            <presence from='room@conference.example.org/Bob' to='bob@example.org/b' type='unavailable'>
              <x xmlns='http://jabber.org/protocol/muc#user'>
                <item affiliation='outcast' jid='bob@example.org/b' role='none'><actor nick='Owner'/><reason>Treason</reason></item>
                <status code='110'/><status code='301'/>
              </x>
              <occupant-id xmlns='urn:xmpp:occupant-id:0'/>
            </presence>
            """, sent[0], "id");
        XmlAssert.Same("""
            <presence from='room@conference.example.org/Bob' to='carol@example.org/c' type='unavailable'>
              <x xmlns='http://jabber.org/protocol/muc#user'>
                <item affiliation='outcast' role='none'><actor nick='Owner'/><reason>Treason</reason></item>
                <status code='301'/>
              </x>
              <occupant-id xmlns='urn:xmpp:occupant-id:0'/>
            </presence>
            """, sent.For(Carol).Single(), "id");
        Assert.AreEqual("result", sent.IqReply().Type());
        Assert.AreEqual(Affiliation.Outcast, await h.AffiliationAsync("room", "bob@example.org"));
        Assert.AreEqual("Treason", (await h.EntryAsync("room", "bob@example.org"))?.Reason);

        var back = await h.JoinAsync("bob@example.org/other", "room", "Bobby");
        Assert.AreEqual("forbidden", back.Single().ErrorCondition(), back.Describe());
    }

    [TestMethod]
    public async Task Ban_FullJid_BansTheBareJid()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();

        await h.SendAsync(Adm.Set(Adm.Item(jid: Bob, affiliation: "outcast")), Owner, Room("room"));

        Assert.AreEqual(Affiliation.Outcast, await h.AffiliationAsync("room", "bob@example.org"));
        Assert.IsNull(await h.RoleAsync("room", "Bob"));
    }

    [TestMethod]
    public async Task Ban_ByNick_BansTheOccupantsUser()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();

        await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", affiliation: "outcast")), Owner, Room("room"));

        Assert.AreEqual(Affiliation.Outcast, await h.AffiliationAsync("room", "bob@example.org"));
    }

    [TestMethod]
    public async Task Ban_ByOccupantJid_BansTheOccupantsUserNotTheRoom()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();

        var sent = await h.SendAsync(Adm.Set(Adm.Item(jid: "room@conference.example.org/Bob", affiliation: "outcast")), Owner, Room("room"));

        Assert.AreEqual("result", sent.IqReply().Type(), sent.Describe());
        Assert.AreEqual(Affiliation.Outcast, await h.AffiliationAsync("room", "bob@example.org"));
        Assert.AreEqual(Affiliation.None, await h.AffiliationAsync("room", "room@conference.example.org"));
    }

    [TestMethod]
    public async Task Ban_AbsentUser_StoredAndPersisted()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync(Owner, "room", "Owner", ("muc#roomconfig_persistentroom", ["1"]));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(jid: "eve@example.org", affiliation: "outcast")), Owner, Room("room"));

        Assert.AreEqual("result", sent.IqReply().Type(), sent.Describe());
        var stored = await h.Store.LoadAsync("room@conference.example.org");
        Assert.IsTrue(stored!.Affiliations.Any(a => a.Jid == "eve@example.org" && a.Affiliation == "outcast"));
        Assert.AreEqual("forbidden", (await h.JoinAsync("eve@example.org/e", "room", "Eve")).Single().ErrorCondition());
    }

    [TestMethod]
    public async Task Ban_DropsReservedNick()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(jid: "dave@example.org", affiliation: "member", nick: "Davey")), Owner, Room("room"));

        await h.SendAsync(Adm.Set(Adm.Item(jid: "dave@example.org", affiliation: "outcast")), Owner, Room("room"));

        Assert.IsNull((await h.EntryAsync("room", "dave@example.org"))?.Nick, "§9.1: the outcast's nick is no longer reserved");
        Assert.IsTrue((await h.JoinAsync("erin@example.org/e", "room", "Davey")).Any(s => s.Codes().Contains(110)));
    }

    [TestMethod]
    public async Task Ban_Self_Conflict()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "admin")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "outcast")), Bob, Room("room"));

        Assert.AreEqual("conflict", sent.Single().ErrorCondition(), sent.Describe());
        Assert.AreEqual(Affiliation.Admin, await h.AffiliationAsync("room", "bob@example.org"));
    }

    [TestMethod]
    [DataRow("owner@example.org")]
    [DataRow("dave@example.org")]
    public async Task Ban_OwnerOrAdminByAdmin_NotAllowed(string target)
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "admin"), Adm.Item(jid: "dave@example.org", affiliation: "admin")), Owner, Room("room"));
        var before = await h.AffiliationAsync("room", target);

        var sent = await h.SendAsync(Adm.Set(Adm.Item(jid: target, affiliation: "outcast")), Bob, Room("room"));

        Assert.AreEqual("not-allowed", sent.Single().ErrorCondition(), sent.Describe());
        Assert.AreEqual(before, await h.AffiliationAsync("room", target));
    }

    [TestMethod]
    public async Task Ban_ByAdmin_MemberAndUnaffiliatedAllowed()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "admin"), Adm.Item(jid: "carol@example.org", affiliation: "member")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(jid: "carol@example.org", affiliation: "outcast"), Adm.Item(jid: "eve@example.org", affiliation: "outcast")), Bob, Room("room"));

        Assert.AreEqual("result", sent.IqReply().Type(), sent.Describe());
        Assert.AreEqual(Affiliation.Outcast, await h.AffiliationAsync("room", "carol@example.org"));
        Assert.AreEqual(Affiliation.Outcast, await h.AffiliationAsync("room", "eve@example.org"));
    }

    [TestMethod]
    [DataRow(Bob)]
    [DataRow("stranger@example.org/x")]
    public async Task Ban_ByParticipantOrStranger_Forbidden(string from)
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();

        var sent = await h.SendAsync(Adm.Set(Adm.Item(jid: "carol@example.org", affiliation: "outcast")), from, Room("room"));

        Assert.AreEqual("forbidden", sent.Single().ErrorCondition(), sent.Describe());
        Assert.AreEqual(Affiliation.None, await h.AffiliationAsync("room", "carol@example.org"));
        Assert.AreEqual(Role.Participant, await h.RoleAsync("room", "Carol"));
    }

    [TestMethod]
    public async Task ModifyBanList_OneRefusedItem_NothingApplied()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "admin")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Set(
            Adm.Item(jid: "carol@example.org", affiliation: "outcast"),
            Adm.Item(jid: "owner@example.org", affiliation: "outcast")), Bob, Room("room"));

        Assert.AreEqual("not-allowed", sent.Single().ErrorCondition(), sent.Describe());
        Assert.AreEqual(Affiliation.None, await h.AffiliationAsync("room", "carol@example.org"));
        Assert.AreEqual(Role.Participant, await h.RoleAsync("room", "Carol"));
    }

    [TestMethod]
    public async Task Unban_AffiliationNone_MayEnterAgain()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(jid: "eve@example.org", affiliation: "outcast")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(jid: "eve@example.org", affiliation: "none")), Owner, Room("room"));

        Assert.AreEqual("result", sent.IqReply().Type(), sent.Describe());
        Assert.IsNull(await h.EntryAsync("room", "eve@example.org"), "§5.2: no 'none list' is kept");
        Assert.IsTrue((await h.JoinAsync("eve@example.org/e", "room", "Eve")).Any(s => s.Codes().Contains(110)));
    }
}
