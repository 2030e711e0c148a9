using XmppConf.Muc.Rooms;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;
using static XmppConf.Muc.Tests.TestKit.Cast;

namespace XmppConf.Muc.Tests.Features;

/// <summary>
/// XEP-0045 muc#admin lists: §8.5 voice list, §9.2 ban list, §9.5 member list, §9.8 moderator
/// list, §10.5 owner list, §10.8 admin list — their content and who may read them.
/// </summary>
[TestClass]
public sealed class AdminListTests
{

    [TestMethod]
    public async Task MemberList_Owner_BareJidsSortedWithNickAndRoleOfPresentMembers()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(
            Adm.Item(jid: "dave@example.org", affiliation: "member", nick: "Davey"),
            Adm.Item(jid: "carol@example.org", affiliation: "member")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Get(Adm.Item(affiliation: "member")), Owner, Room("room"));

        XmlAssert.Same("""
            <iq from='room@conference.example.org' to='owner@example.org/a' type='result'>
              <query xmlns='http://jabber.org/protocol/muc#admin'>
                <item affiliation='member' jid='carol@example.org' nick='Carol' role='participant'/>
                <item affiliation='member' jid='dave@example.org' nick='Davey'/>
              </query>
            </iq>
            """, sent.Single(), "id");
    }

    [TestMethod]
    public async Task BanList_Admin_JidsWithReasons()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(
            Adm.Item(jid: "bob@example.org", affiliation: "admin"),
            Adm.Item(jid: "earlofcambridge@example.org", affiliation: "outcast", reason: "Treason")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Get(Adm.Item(affiliation: "outcast")), Bob, Room("room"));

        XmlAssert.Same("""
            <iq from='room@conference.example.org' to='bob@example.org/b' type='result'>
              <query xmlns='http://jabber.org/protocol/muc#admin'>
                <item affiliation='outcast' jid='earlofcambridge@example.org'><reason>Treason</reason></item>
              </query>
            </iq>
            """, sent.Single(), "id");
    }

    [TestMethod]
    [DataRow("owner")]
    [DataRow("admin")]
    public async Task OwnerAndAdminLists_Owner_Listed(string list)
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(jid: "hecate@example.org", affiliation: "admin")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Get(Adm.Item(affiliation: list)), Owner, Room("room"));

        var items = sent.Single().Element(Adm.MucAdmin + "query")!.Elements(Adm.MucAdmin + "item").ToList();
        var expected = list == "owner" ? "owner@example.org" : "hecate@example.org";
        Assert.AreEqual(expected, items.Single().Attribute("jid")?.Value);
        Assert.AreEqual(list, items[0].Attribute("affiliation")?.Value);
    }

    [TestMethod]
    [DataRow("moderators", "owner", "forbidden")]
    [DataRow("moderators", "admin", "forbidden")]
    [DataRow("anyone", "owner", null)]
    [DataRow("anyone", "admin", null)]
    public async Task OwnerAndAdminLists_Admin_OnlyInNonAnonymousRooms(string whois, string list, string? error)
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_whois", [whois]));
        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "admin")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Get(Adm.Item(affiliation: list)), Bob, Room("room"));

        Assert.AreEqual(error, sent.Single().ErrorCondition(), sent.Describe());
    }

    [TestMethod]
    [DataRow("moderators", "forbidden")]
    [DataRow("anyone", null)]
    public async Task MemberList_Participant_OnlyWhenRealJidsAreVisible(string whois, string? error)
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_whois", [whois]));

        var sent = await h.SendAsync(Adm.Get(Adm.Item(affiliation: "member")), Bob, Room("room"));

        Assert.AreEqual(error, sent.Single().ErrorCondition(), sent.Describe());
    }

    [TestMethod]
    public async Task MemberList_GetMemberListExcludesParticipants_UnaffiliatedParticipantForbidden()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_whois", ["anyone"]), ("muc#roomconfig_getmemberlist", ["moderator"]));

        var refused = await h.SendAsync(Adm.Get(Adm.Item(affiliation: "member")), Bob, Room("room"));
        await h.SendAsync(Adm.Set(Adm.Item(jid: "carol@example.org", affiliation: "member")), Owner, Room("room"));
        var member = await h.SendAsync(Adm.Get(Adm.Item(affiliation: "member")), Carol, Room("room"));

        Assert.AreEqual("forbidden", refused.Single().ErrorCondition());
        Assert.AreEqual("result", member.Single().Type(), "§9.5 note: members of a non-anonymous room may read the member list");
    }

    [TestMethod]
    [DataRow(Bob)]
    [DataRow("stranger@example.org/x")]
    public async Task BanList_NonAdmin_Forbidden(string from)
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_whois", ["anyone"]));

        var sent = await h.SendAsync(Adm.Get(Adm.Item(affiliation: "outcast")), from, Room("room"));

        Assert.AreEqual("forbidden", sent.Single().ErrorCondition());
    }

    [TestMethod]
    public async Task VoiceList_Moderator_OccupantsWithNickRoleAffiliationAndJid()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();

        var sent = await h.SendAsync(Adm.Get(Adm.Item(role: "participant")), Owner, Room("room"));

        XmlAssert.Same("""
            <iq from='room@conference.example.org' to='owner@example.org/a' type='result'>
              <query xmlns='http://jabber.org/protocol/muc#admin'>
                <item affiliation='none' jid='bob@example.org/b' nick='Bob' role='participant'/>
                <item affiliation='none' jid='carol@example.org/c' nick='Carol' role='participant'/>
              </query>
            </iq>
            """, sent.Single(), "id");
    }

    [TestMethod]
    public async Task VoiceList_Participant_Forbidden()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();

        var sent = await h.SendAsync(Adm.Get(Adm.Item(role: "participant")), Bob, Room("room"));

        Assert.AreEqual("forbidden", sent.Single().ErrorCondition());
    }

    [TestMethod]
    public async Task ModeratorList_AdminYes_UnaffiliatedModeratorNo()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(nick: "Carol", role: "moderator")), Owner, Room("room"));

        var admin = await h.SendAsync(Adm.Get(Adm.Item(role: "moderator")), Owner, Room("room"));
        var moderator = await h.SendAsync(Adm.Get(Adm.Item(role: "moderator")), Carol, Room("room"));

        var nicks = admin.Single().Element(Adm.MucAdmin + "query")!.Elements().Select(i => i.Attribute("nick")?.Value).ToArray();
        CollectionAssert.AreEqual(new[] { "Owner", "Carol" }, nicks);
        Assert.AreEqual("forbidden", moderator.Single().ErrorCondition(), "§9.8: the moderator list is an admin use case");
    }

    [TestMethod]
    [DataRow("none", null)]
    [DataRow(null, "none")]
    [DataRow("king", null)]
    [DataRow(null, "jester")]
    [DataRow("member", "participant")]
    [DataRow(null, null)]
    public async Task List_BogusItem_BadRequest(string? affiliation, string? role)
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();

        var sent = await h.SendAsync(Adm.Get(Adm.Item(affiliation: affiliation, role: role)), Owner, Room("room"));

        Assert.AreEqual("bad-request", sent.Single().ErrorCondition(), sent.Describe());
    }

    [TestMethod]
    public async Task List_TwoItems_BadRequest()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();

        var sent = await h.SendAsync(Adm.Get(Adm.Item(affiliation: "member"), Adm.Item(affiliation: "admin")), Owner, Room("room"));

        Assert.AreEqual("bad-request", sent.Single().ErrorCondition());
    }

    [TestMethod]
    public async Task List_ServerAdmin_ActsAsOwner()
    {
        await using var h = new MucHarness(isAdmin: j => j.ToString() == "root@example.org");
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");

        var sent = await h.SendAsync(Adm.Get(Adm.Item(affiliation: "owner")), "root@example.org/r", Room("room"));

        Assert.AreEqual("result", sent.Single().Type(), sent.Describe());
    }
}
