using XmppConf.Muc.Rooms;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;
using static XmppConf.Muc.Tests.TestKit.Cast;

namespace XmppConf.Muc.Tests.Features;

/// <summary>XEP-0045 §8.2 kicking an occupant: role none through muc#admin (AdminChangeFeature).</summary>
[TestClass]
public sealed class KickTests
{

    [TestMethod]
    public async Task Kick_ByOwner_KickedThenResultThenOthers_With307ActorReason()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        var kick = Adm.Set(Adm.Item(nick: "Bob", role: "none", reason: "Avaunt, you cullion!"));

        var sent = await h.SendAsync(kick, Owner, Room("room"));

        Assert.AreEqual(4, sent.Count, sent.Describe());
        XmlAssert.Same("""
            <presence from='room@conference.example.org/Bob' to='bob@example.org/b' type='unavailable'>
              <x xmlns='http://jabber.org/protocol/muc#user'>
                <item affiliation='none' jid='bob@example.org/b' role='none'><actor nick='Owner'/><reason>Avaunt, you cullion!</reason></item>
                <status code='110'/><status code='307'/>
              </x>
              <occupant-id xmlns='urn:xmpp:occupant-id:0'/>
            </presence>
            """, sent[0], "id");
        // Semi-anonymous room: the owner (a moderator) sees the real JID, Carol does not.
        XmlAssert.Same("""
            <presence from='room@conference.example.org/Bob' to='owner@example.org/a' type='unavailable'>
              <x xmlns='http://jabber.org/protocol/muc#user'>
                <item affiliation='none' jid='bob@example.org/b' role='none'><actor nick='Owner'/><reason>Avaunt, you cullion!</reason></item>
                <status code='307'/>
              </x>
              <occupant-id xmlns='urn:xmpp:occupant-id:0'/>
            </presence>
            """, sent.For(Owner).Single(s => s.Name.LocalName == "presence"), "id");
        XmlAssert.Same("""
            <presence from='room@conference.example.org/Bob' to='carol@example.org/c' type='unavailable'>
              <x xmlns='http://jabber.org/protocol/muc#user'>
                <item affiliation='none' role='none'><actor nick='Owner'/><reason>Avaunt, you cullion!</reason></item>
                <status code='307'/>
              </x>
              <occupant-id xmlns='urn:xmpp:occupant-id:0'/>
            </presence>
            """, sent.For(Carol).Single(), "id");
        Assert.AreEqual("result", sent.IqReply().Type());
        Assert.AreEqual(Owner, sent.IqReply().To());
        Assert.IsNull(await h.RoleAsync("room", "Bob"));
        Assert.AreEqual(0, (await h.Occupancy.GetByUserAsync(Bob)).Count, "the occupancy table forgets the kicked session");
    }

    [TestMethod]
    public async Task Kick_KickedUser_MayRejoin()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "none")), Owner, Room("room"));

        var rejoin = await h.JoinAsync(Bob, "room", "Bob");

        Assert.IsTrue(rejoin.Any(s => s.Codes().Contains(110)), rejoin.Describe());
    }

    [TestMethod]
    [DataRow(Bob, "forbidden")]
    [DataRow("stranger@example.org/x", "forbidden")]
    public async Task Kick_ByNonModerator_ForbiddenAndNothingChanges(string from, string condition)
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();

        var sent = await h.SendAsync(Adm.Set(Adm.Item(nick: "Carol", role: "none")), from, Room("room"));

        Assert.AreEqual(1, sent.Count, sent.Describe());
        Assert.AreEqual(condition, sent[0].ErrorCondition());
        Assert.AreEqual("auth", sent[0].Element(St.Client + "error")?.Attribute("type")?.Value);
        Assert.AreEqual(Role.Participant, await h.RoleAsync("room", "Carol"));
    }

    [TestMethod]
    public async Task Kick_AdminByMemberModerator_NotAllowed()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "admin")), Owner, Room("room"));
        await h.SendAsync(Adm.Set(Adm.Item(jid: "carol@example.org", affiliation: "member")), Owner, Room("room"));
        await h.SendAsync(Adm.Set(Adm.Item(nick: "Carol", role: "moderator")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "none")), Carol, Room("room"));

        Assert.AreEqual("not-allowed", sent.Single().ErrorCondition(), sent.Describe());
        Assert.AreEqual(Role.Moderator, await h.RoleAsync("room", "Bob"));
    }

    [TestMethod]
    public async Task Kick_OwnerByAdmin_NotAllowed()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "admin")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(nick: "Owner", role: "none")), Bob, Room("room"));

        Assert.AreEqual("not-allowed", sent.Single().ErrorCondition(), sent.Describe());
        Assert.AreEqual(Role.Moderator, await h.RoleAsync("room", "Owner"));
    }

    [TestMethod]
    public async Task Kick_ModeratorByUnaffiliatedModerator_NotAllowed()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "moderator"), Adm.Item(nick: "Carol", role: "moderator")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "none")), Carol, Room("room"));

        Assert.AreEqual("not-allowed", sent.Single().ErrorCondition(), sent.Describe());
        Assert.AreEqual(Role.Moderator, await h.RoleAsync("room", "Bob"));
    }

    [TestMethod]
    public async Task Kick_ParticipantByUnaffiliatedModerator_Allowed()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(nick: "Carol", role: "moderator")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "none")), Carol, Room("room"));

        Assert.AreEqual("result", sent.IqReply().Type(), sent.Describe());
        var self = sent.For(Bob).Single();
        Assert.AreEqual("Carol", self.Item()!.Element(St.MucUser + "actor")?.Attribute("nick")?.Value);
        Assert.IsNull(await h.RoleAsync("room", "Bob"));
    }

    [TestMethod]
    public async Task Kick_AdminByOwner_Allowed()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "admin")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "none")), Owner, Room("room"));

        Assert.AreEqual("result", sent.IqReply().Type(), sent.Describe());
        CollectionAssert.AreEqual(new[] { 110, 307 }, sent.For(Bob).Single().Codes());
        Assert.AreEqual(Affiliation.Admin, await h.AffiliationAsync("room", "bob@example.org"), "a kick leaves the affiliation alone");
    }

    [TestMethod]
    public async Task Kick_ByOwnerOutsideTheRoom_Allowed_NoActor()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(St.Presence("unavailable"), Owner, Room("room", "Owner"));
        await h.SendAsync(Adm.Set(Adm.Item(jid: "dave@example.org", affiliation: "owner")), "owner@example.org/elsewhere", Room("room"));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "none")), "owner@example.org/elsewhere", Room("room"));

        Assert.AreEqual("result", sent.IqReply().Type(), sent.Describe());
        Assert.IsNull(sent.For(Bob).Single().Item()!.Element(St.MucUser + "actor"));
    }

    [TestMethod]
    [DataRow("room@conference.example.org/Bob")]
    [DataRow(Bob)]
    [DataRow("bob@example.org")]
    public async Task Kick_OccupantNamedByJid_Kicked(string jid)
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();

        var sent = await h.SendAsync(Adm.Set(Adm.Item(jid: jid, role: "none")), Owner, Room("room"));

        Assert.AreEqual("result", sent.IqReply().Type(), sent.Describe());
        Assert.IsNull(await h.RoleAsync("room", "Bob"));
    }

    [TestMethod]
    public async Task Kick_UnknownNick_ItemNotFound()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();

        var sent = await h.SendAsync(Adm.Set(Adm.Item(nick: "Nobody", role: "none")), Owner, Room("room"));

        Assert.AreEqual("item-not-found", sent.Single().ErrorCondition());
    }

    [TestMethod]
    public async Task Kick_TwoInOneRequestOneRefused_NobodyKicked()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(nick: "Carol", role: "moderator")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "none"), Adm.Item(nick: "Owner", role: "none")), Carol, Room("room"));

        Assert.AreEqual("not-allowed", sent.Single().ErrorCondition(), sent.Describe());
        Assert.AreEqual(Role.Participant, await h.RoleAsync("room", "Bob"));
    }

    [TestMethod]
    public async Task Kick_Self_Allowed()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();

        var sent = await h.SendAsync(Adm.Set(Adm.Item(nick: "Owner", role: "none")), Owner, Room("room"));

        // §8.2: the service MAY refuse a self-kick; it is harmless, as on IRC, so it is allowed.
        Assert.AreEqual("result", sent.IqReply().Type(), sent.Describe());
        Assert.IsNull(await h.RoleAsync("room", "Owner"));
    }
}
