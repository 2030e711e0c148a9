using XmppConf.Muc.Rooms;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;
using static XmppConf.Muc.Tests.TestKit.Cast;

namespace XmppConf.Muc.Tests.Features;

/// <summary>
/// XEP-0045 §9.3–§9.5 membership, §10.3–§10.8 owner and admin status through muc#admin, and
/// the members-only removals (321, 322).
/// </summary>
[TestClass]
public sealed class AffiliationChangeTests
{

    [TestMethod]
    public async Task GrantMember_PresentUser_UpdatedPresenceToAll()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();

        var sent = await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "member")), Owner, Room("room"));

        Assert.AreEqual(4, sent.Count, sent.Describe());
        XmlAssert.Same("""
            <presence from='room@conference.example.org/Bob' to='carol@example.org/c'>
              <x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='member' role='participant'/></x>
              <occupant-id xmlns='urn:xmpp:occupant-id:0'/>
            </presence>
            """, sent.For(Carol).Single(), "id");
        XmlAssert.Same("""
            <presence from='room@conference.example.org/Bob' to='bob@example.org/b'>
              <x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='member' jid='bob@example.org/b' role='participant'/><status code='110'/></x>
              <occupant-id xmlns='urn:xmpp:occupant-id:0'/>
            </presence>
            """, sent.For(Bob).Single(), "id");
        Assert.AreEqual("member", sent.For(Owner).Single(s => s.Name.LocalName == "presence").Item()!.Attribute("affiliation")?.Value);
        Assert.AreEqual("member", (await h.Occupancy.GetByUserAsync(Bob)).Single().Affiliation, "the occupancy table follows");
    }

    [TestMethod]
    public async Task GrantMember_VisitorInModeratedRoom_GetsVoice()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));
        Assert.AreEqual(Role.Visitor, await h.RoleAsync("room", "Bob"));

        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "member")), Owner, Room("room"));

        Assert.AreEqual(Role.Participant, await h.RoleAsync("room", "Bob"));
    }

    [TestMethod]
    public async Task GrantMember_WithNick_NickReservedForThatUser()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();

        await h.SendAsync(Adm.Set(Adm.Item(jid: "dave@example.org", affiliation: "member", nick: "thirdwitch")), Owner, Room("room"));

        Assert.AreEqual("thirdwitch", (await h.EntryAsync("room", "dave@example.org"))?.Nick);
        Assert.AreEqual("conflict", (await h.JoinAsync("eve@example.org/e", "room", "thirdwitch")).Single().ErrorCondition());
        Assert.IsTrue((await h.JoinAsync("dave@example.org/d", "room", "thirdwitch")).Any(s => s.Codes().Contains(110)));
    }

    [TestMethod]
    public async Task GrantMember_NickReservedByAnother_ConflictAndNothingChanges()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(jid: "dave@example.org", affiliation: "member", nick: "thirdwitch")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(jid: "eve@example.org", affiliation: "member", nick: "thirdwitch")), Owner, Room("room"));

        Assert.AreEqual("conflict", sent.Single().ErrorCondition(), sent.Describe());
        Assert.AreEqual(Affiliation.None, await h.AffiliationAsync("room", "eve@example.org"));
    }

    [TestMethod]
    public async Task GrantMember_EmptyNick_ClearsReservation()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(jid: "dave@example.org", affiliation: "member", nick: "thirdwitch")), Owner, Room("room"));

        await h.SendAsync(Adm.Set(Adm.Item(jid: "dave@example.org", affiliation: "member", nick: "")), Owner, Room("room"));

        var entry = await h.EntryAsync("room", "dave@example.org");
        Assert.AreEqual(Affiliation.Member, entry?.Affiliation);
        Assert.IsNull(entry?.Nick);
    }

    [TestMethod]
    public async Task RevokeMember_OpenRoom_PresenceWithNone()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "member")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "none")), Owner, Room("room"));

        var toCarol = sent.For(Carol).Single();
        Assert.IsNull(toCarol.Type());
        Assert.AreEqual("none", toCarol.Item()!.Attribute("affiliation")?.Value);
        Assert.AreEqual("participant", toCarol.Item()!.Attribute("role")?.Value);
    }

    [TestMethod]
    public async Task RevokeMember_MembersOnlyRoom_OnlyTheRemovalWith321()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync(Owner, "room", "Owner", ("muc#roomconfig_membersonly", ["1"]));
        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "member")), Owner, Room("room"));
        await h.JoinAsync(Bob, "room", "Bob");

        var sent = await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "none")), Owner, Room("room"));

        // §9.4: "the service SHOULD NOT send both a de-affiliation presence … followed by room-removal presence".
        Assert.AreEqual(3, sent.Count, sent.Describe());
        XmlAssert.Same("""
            <presence from='room@conference.example.org/Bob' to='bob@example.org/b' type='unavailable'>
              <x xmlns='http://jabber.org/protocol/muc#user'>
                <item affiliation='none' jid='bob@example.org/b' role='none'><actor nick='Owner'/></item>
                <status code='110'/><status code='321'/>
              </x>
              <occupant-id xmlns='urn:xmpp:occupant-id:0'/>
            </presence>
            """, sent[0], "id");
        CollectionAssert.AreEqual(new[] { 321 }, sent.For(Owner).Single(s => s.Name.LocalName == "presence").Codes());
        Assert.AreEqual("registration-required", (await h.JoinAsync(Bob, "room", "Bob")).Single().ErrorCondition());
    }

    [TestMethod]
    public async Task RoomBecomesMembersOnly_NonMembersRemovedWith322_MembersStay()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(jid: "carol@example.org", affiliation: "member")), Owner, Room("room"));

        var sent = await h.SendAsync(St.OwnerSubmit(("muc#roomconfig_membersonly", ["1"])), Owner, Room("room"));

        var bobs = sent.For(Bob);
        Assert.AreEqual(1, bobs.Count, sent.Describe());
        Assert.AreEqual("unavailable", bobs[0].Type());
        CollectionAssert.AreEqual(new[] { 110, 322 }, bobs[0].Codes());
        var toCarol = sent.For(Carol);
        CollectionAssert.AreEqual(new[] { 322 }, toCarol.Single(s => s.Name.LocalName == "presence").Codes());
        Assert.IsTrue(toCarol.Any(s => s.Name.LocalName == "message" && s.Codes().Contains(104)), "the rest hear of the change");
        Assert.IsNull(await h.RoleAsync("room", "Bob"));
        Assert.AreEqual(Role.Participant, await h.RoleAsync("room", "Carol"));
        Assert.AreEqual(0, (await h.Occupancy.GetByUserAsync(Bob)).Count);
    }

    [TestMethod]
    public async Task ConfigForm_AdminDroppedFromMembersOnlyRoom_Removed321()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync(Owner, "room", "Owner", ("muc#roomconfig_membersonly", ["1"]), ("muc#roomconfig_roomadmins", ["bob@example.org"]));
        await h.JoinAsync(Bob, "room", "Bob");

        var sent = await h.SendAsync(St.OwnerSubmit(("muc#roomconfig_roomadmins", [])), Owner, Room("room"));

        CollectionAssert.AreEqual(new[] { 110, 321 }, sent.For(Bob).Single().Codes(), sent.Describe());
        Assert.IsNull(await h.RoleAsync("room", "Bob"));
    }

    [TestMethod]
    public async Task GrantAdmin_ByOwner_BecomesModerator()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();

        var sent = await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "admin")), Owner, Room("room"));

        Assert.AreEqual("result", sent.IqReply().Type());
        var item = sent.For(Carol).Single().Item()!;
        Assert.AreEqual("admin", item.Attribute("affiliation")?.Value);
        Assert.AreEqual("moderator", item.Attribute("role")?.Value);
    }

    [TestMethod]
    [DataRow("admin")]
    [DataRow("owner")]
    public async Task GrantAdminOrOwner_ByAdmin_Forbidden(string affiliation)
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "admin")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(jid: "carol@example.org", affiliation: affiliation)), Bob, Room("room"));

        Assert.AreEqual("forbidden", sent.Single().ErrorCondition(), sent.Describe());
        Assert.AreEqual(Affiliation.None, await h.AffiliationAsync("room", "carol@example.org"));
    }

    [TestMethod]
    public async Task RevokeAdmin_ByOwner_BackToParticipant()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "admin")), Owner, Room("room"));

        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "member")), Owner, Room("room"));

        Assert.AreEqual(Affiliation.Member, await h.AffiliationAsync("room", "bob@example.org"));
        Assert.AreEqual(Role.Participant, await h.RoleAsync("room", "Bob"));
    }

    [TestMethod]
    public async Task RevokeAdmin_ByOtherAdmin_Forbidden()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "admin"), Adm.Item(jid: "carol@example.org", affiliation: "admin")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(jid: "carol@example.org", affiliation: "none")), Bob, Room("room"));

        Assert.AreEqual("forbidden", sent.Single().ErrorCondition());
        Assert.AreEqual(Affiliation.Admin, await h.AffiliationAsync("room", "carol@example.org"));
    }

    [TestMethod]
    [DataRow("admin")]
    [DataRow("member")]
    [DataRow("none")]
    public async Task LastOwner_GivesUpOwnership_Conflict(string affiliation)
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();

        var sent = await h.SendAsync(Adm.Set(Adm.Item(jid: "owner@example.org", affiliation: affiliation)), Owner, Room("room"));

        Assert.AreEqual("conflict", sent.Single().ErrorCondition(), sent.Describe());
        Assert.AreEqual(Affiliation.Owner, await h.AffiliationAsync("room", "owner@example.org"));
    }

    [TestMethod]
    public async Task Owner_HandsOverOwnershipInOneRequest_Allowed()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();

        var sent = await h.SendAsync(Adm.Set(
            Adm.Item(jid: "bob@example.org", affiliation: "owner"),
            Adm.Item(jid: "owner@example.org", affiliation: "admin")), Owner, Room("room"));

        Assert.AreEqual("result", sent.IqReply().Type(), sent.Describe());
        Assert.AreEqual(Affiliation.Owner, await h.AffiliationAsync("room", "bob@example.org"));
        Assert.AreEqual(Affiliation.Admin, await h.AffiliationAsync("room", "owner@example.org"));
    }

    [TestMethod]
    public async Task Owner_RevokesAnotherOwner_Allowed()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "owner")), Owner, Room("room"));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(jid: "owner@example.org", affiliation: "none")), Bob, Room("room"));

        Assert.AreEqual("result", sent.IqReply().Type(), sent.Describe());
        Assert.AreEqual(Affiliation.None, await h.AffiliationAsync("room", "owner@example.org"));
        Assert.AreEqual(Role.Participant, await h.RoleAsync("room", "Owner"));
    }

    [TestMethod]
    public async Task AbsentUser_GrantedAdmin_OccupantsWhoSeeJidsAreTold()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();

        var sent = await h.SendAsync(Adm.Set(Adm.Item(jid: "hecate@example.org", affiliation: "admin")), Owner, Room("room"));

        XmlAssert.Same("""
            <message from='room@conference.example.org' to='owner@example.org/a'>
              <x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='admin' jid='hecate@example.org' role='none'/></x>
            </message>
            """, sent.For(Owner).Single(s => s.Name.LocalName == "message"), "id");
        Assert.AreEqual(0, sent.For(Bob).Count, "a semi-anonymous room does not show JIDs to participants");
    }

    [TestMethod]
    public async Task NewMemberOfMembersOnlyRoom_IsInvited()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync(Owner, "room", "Owner", ("muc#roomconfig_membersonly", ["1"]));

        var sent = await h.SendAsync(Adm.Set(Adm.Item(jid: "hecate@example.org", affiliation: "member")), Owner, Room("room"));

        // §9.5 example 101.
        XmlAssert.Same("""
            <message from='room@conference.example.org' to='hecate@example.org'>
              <x xmlns='http://jabber.org/protocol/muc#user'><invite from='owner@example.org'/></x>
              <body>owner@example.org invites you to the room room@conference.example.org</body>
            </message>
            """, sent.Single(s => s.To() == "hecate@example.org"), "id");
    }

    [TestMethod]
    public async Task AffiliationChange_PersistentRoom_Saved()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_persistentroom", ["1"]));

        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "admin", reason: "trusted")), Owner, Room("room"));

        var stored = await h.Store.LoadAsync("room@conference.example.org");
        var bob = stored!.Affiliations.Single(a => a.Jid == "bob@example.org");
        Assert.AreEqual("admin", bob.Affiliation);
        Assert.AreEqual("trusted", bob.Reason);
    }

    [TestMethod]
    [DataRow("king", "bob@example.org", null)]
    [DataRow("member", "@example.org", null)]
    [DataRow("member", null, null)]
    [DataRow("member", "bob@example.org", "participant")]
    public async Task BogusItem_BadRequestAndNothingChanges(string affiliation, string? jid, string? role)
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();

        var sent = await h.SendAsync(Adm.Set(
            Adm.Item(jid: "carol@example.org", affiliation: "member"),
            Adm.Item(jid: jid, affiliation: affiliation, role: role)), Owner, Room("room"));

        Assert.AreEqual("bad-request", sent.Single().ErrorCondition(), sent.Describe());
        Assert.AreEqual(Affiliation.None, await h.AffiliationAsync("room", "carol@example.org"));
        Assert.AreEqual(Affiliation.None, await h.AffiliationAsync("room", "bob@example.org"));
    }

    [TestMethod]
    public async Task EmptyQuery_BadRequest()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();

        var sent = await h.SendAsync(Adm.Set(), Owner, Room("room"));

        Assert.AreEqual("bad-request", sent.Single().ErrorCondition());
    }
}
