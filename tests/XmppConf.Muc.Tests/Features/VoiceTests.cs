using XmppConf.Muc.Rooms;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;
using static XmppConf.Muc.Tests.TestKit.Cast;

namespace XmppConf.Muc.Tests.Features;

/// <summary>
/// XEP-0045 §8.3 granting and §8.4 revoking voice, §8.5 the voice list, §9.6–§9.7 granting and
/// revoking moderator status, all through muc#admin role items.
/// </summary>
[TestClass]
public sealed class VoiceTests
{

    [TestMethod]
    public async Task GrantVoice_Visitor_ParticipantAnnouncedWithReason()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "participant", reason: "A worthy witch indeed!")), Owner, Room("room"));

        Assert.AreEqual("result", sent.IqReply().Type());
        XmlAssert.Same("""
            <presence from='room@conference.example.org/Bob' to='carol@example.org/c'>
              <x xmlns='http://jabber.org/protocol/muc#user'>
                <item affiliation='none' role='participant'><reason>A worthy witch indeed!</reason></item>
              </x>
              <occupant-id xmlns='urn:xmpp:occupant-id:0'/>
            </presence>
            """, sent.For(Carol).Single(), "id");
        CollectionAssert.AreEqual(new[] { 110 }, sent.For(Bob).Single().Codes());

        var spoken = await h.SendAsync(St.Groupchat("At last!"), Bob, Room("room"));
        Assert.IsTrue(spoken.All(s => s.Type() == "groupchat"), spoken.Describe());
    }

    [TestMethod]
    public async Task RevokeVoice_Participant_VisitorWhoCannotSpeak()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));
        await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "participant")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "visitor")), Owner, Room("room"));

        Assert.AreEqual("visitor", sent.For(Carol).Single().Item()!.Attribute("role")?.Value);
        Assert.AreEqual("visitor", (await h.Occupancy.GetByUserAsync(Bob)).Single().Role);
        var spoken = await h.SendAsync(St.Groupchat("But…"), Bob, Room("room"));
        Assert.AreEqual("forbidden", spoken.Single().ErrorCondition());
    }

    [TestMethod]
    [DataRow("admin")]
    [DataRow("owner")]
    public async Task RevokeVoice_FromAdminOrOwner_NotAllowed(string affiliation)
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));
        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: affiliation)), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "visitor")), Owner, Room("room"));

        Assert.AreEqual("not-allowed", sent.Single().ErrorCondition(), sent.Describe());
        Assert.AreEqual(Role.Moderator, await h.RoleAsync("room", "Bob"));
    }

    [TestMethod]
    public async Task RevokeVoice_MemberByUnaffiliatedModerator_NotAllowed()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));
        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "member"), Adm.Item(nick: "Carol", role: "moderator")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "visitor")), Carol, Room("room"));

        Assert.AreEqual("not-allowed", sent.Single().ErrorCondition(), sent.Describe());
        Assert.AreEqual(Role.Participant, await h.RoleAsync("room", "Bob"));
    }

    [TestMethod]
    public async Task GrantVoice_ByVisitor_Forbidden()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "participant")), Bob, Room("room"));

        Assert.AreEqual("forbidden", sent.Single().ErrorCondition());
        Assert.AreEqual(Role.Visitor, await h.RoleAsync("room", "Bob"));
    }

    [TestMethod]
    public async Task ModifyVoiceList_OneUnknownNick_NothingApplied()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));

        var sent = await h.SendAsync(Adm.Set(
            Adm.Item(nick: "Bob", role: "participant"),
            Adm.Item(nick: "Carol", role: "participant"),
            Adm.Item(nick: "Ghost", role: "participant")), Owner, Room("room"));

        Assert.AreEqual("item-not-found", sent.Single().ErrorCondition(), sent.Describe());
        Assert.AreEqual(Role.Visitor, await h.RoleAsync("room", "Bob"));
        Assert.AreEqual(Role.Visitor, await h.RoleAsync("room", "Carol"));
    }

    [TestMethod]
    public async Task ModifyVoiceList_Batch_AllApplied()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "participant"), Adm.Item(nick: "Carol", role: "participant")), Owner, Room("room"));

        Assert.AreEqual("result", sent.IqReply().Type(), sent.Describe());
        Assert.AreEqual(Role.Participant, await h.RoleAsync("room", "Bob"));
        Assert.AreEqual(Role.Participant, await h.RoleAsync("room", "Carol"));
    }

    [TestMethod]
    public async Task GrantModerator_ByOwner_SemiAnonymous_NewModeratorSeesRealJids()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "moderator")), Owner, Room("room"));

        Assert.AreEqual(Role.Moderator, await h.RoleAsync("room", "Bob"));
        var toBob = sent.For(Bob);
        var carol = toBob.Single(s => s.From() == "room@conference.example.org/Carol");
        Assert.AreEqual("carol@example.org/c", carol.Item()!.Attribute("jid")?.Value, toBob.Describe());
    }

    [TestMethod]
    public async Task GrantModerator_ByUnaffiliatedModerator_Forbidden()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));
        await h.SendAsync(Adm.Set(Adm.Item(nick: "Carol", role: "moderator")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "moderator")), Carol, Room("room"));

        Assert.AreEqual("forbidden", sent.Single().ErrorCondition(), sent.Describe());
        Assert.AreEqual(Role.Visitor, await h.RoleAsync("room", "Bob"));
    }

    [TestMethod]
    public async Task RevokeModerator_FromAdmin_ByAdminNotAllowed_ByOwnerAllowed()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));
        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "admin"), Adm.Item(jid: "carol@example.org", affiliation: "admin")), Owner, Room("room"));

        var byAdmin = await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "participant")), Carol, Room("room"));
        var byOwner = await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "participant")), Owner, Room("room"));

        Assert.AreEqual("not-allowed", byAdmin.Single().ErrorCondition(), byAdmin.Describe());
        Assert.AreEqual("result", byOwner.IqReply().Type(), byOwner.Describe());
        Assert.AreEqual(Role.Participant, await h.RoleAsync("room", "Bob"));
    }

    [TestMethod]
    public async Task RevokeModerator_UnaffiliatedModeratorByAdmin_Participant()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));
        await h.SendAsync(Adm.Set(Adm.Item(nick: "Carol", role: "moderator")), Owner, Room("room"));

        await h.SendAsync(Adm.Set(Adm.Item(nick: "Carol", role: "participant")), Owner, Room("room"));

        Assert.AreEqual(Role.Participant, await h.RoleAsync("room", "Carol"));
    }

    [TestMethod]
    public async Task RoleItem_UnknownRole_BadRequest()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "jester")), Owner, Room("room"));

        Assert.AreEqual("bad-request", sent.Single().ErrorCondition());
        Assert.AreEqual(Role.Visitor, await h.RoleAsync("room", "Bob"));
    }
}
