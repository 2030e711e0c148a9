using System.Xml.Linq;
using XmppConf.Muc.Rooms;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Features;

/// <summary>
/// XEP-0045 §7.8.2 mediated invitations beyond InvitesFeatureTests: exact stanzas, moderators,
/// members-only rules (§9.5), declines by full and occupant JID, and XEP-0249 left alone.
/// </summary>
[TestClass]
public sealed class InvitationTests
{
    private const string Owner = "owner@example.org/a";
    private const string Bob = "bob@example.org/b";

    private static XElement Invite(params XElement[] invites) =>
        new(St.Client + "message", new XAttribute("id", "nzd143v8"), new XElement(St.MucUser + "x", invites));

    private static XElement To(string jid, string? reason = null, XElement? extra = null) =>
        new(St.MucUser + "invite", new XAttribute("to", jid), reason is null ? null : new XElement(St.MucUser + "reason", reason), extra);

    private static XElement Decline(string to, string? reason = null) =>
        new(St.Client + "message", new XAttribute("id", "jk2vs61v"),
            new XElement(St.MucUser + "x", new XElement(St.MucUser + "decline", new XAttribute("to", to),
                reason is null ? null : new XElement(St.MucUser + "reason", reason))));

    [TestMethod]
    public async Task Invite_OpenRoom_RelayedToBareJidExactly()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync(Owner, "room", "Owner", ("muc#roomconfig_allowinvites", ["1"]));
        await h.JoinAsync(Bob, "room", "Bob");

        var sent = await h.SendAsync(Invite(To("hecate@example.org/broom", "Hey Hecate, this is the place for all good witches!")), Bob, Room("room"));

        XmlAssert.Same("""
            <message from='room@conference.example.org' id='nzd143v8' to='hecate@example.org'>
              <x xmlns='http://jabber.org/protocol/muc#user'>
                <invite from='bob@example.org'><reason>Hey Hecate, this is the place for all good witches!</reason></invite>
              </x>
              <body>bob@example.org invites you to the room room@conference.example.org</body>
            </message>
            """, sent.Single());
        Assert.AreEqual(Affiliation.None, await h.AffiliationAsync("room", "hecate@example.org"), "§9.5: open rooms MUST NOT add members");
    }

    [TestMethod]
    public async Task Invite_SeveralInvitees_EachInvited_ContinueKept()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");
        var thread = new XElement(St.MucUser + "continue", new XAttribute("thread", "e0ffe42b28561960c6b12b944a092794b9683a38"));

        var sent = await h.SendAsync(Invite(To("hecate@example.org", extra: thread), To("wiccarocks@example.org")), Owner, Room("room"));

        CollectionAssert.AreEqual(new[] { "hecate@example.org", "wiccarocks@example.org" }, sent.Select(s => s.To()).ToArray());
        Assert.AreEqual("e0ffe42b28561960c6b12b944a092794b9683a38",
            sent[0].Element(St.MucUser + "x")!.Element(St.MucUser + "invite")!.Element(St.MucUser + "continue")?.Attribute("thread")?.Value);
    }

    [TestMethod]
    public async Task Invite_OneInvalidInvitee_NoneInvited()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");

        var sent = await h.SendAsync(Invite(To("hecate@example.org"), To("@bad@")), Owner, Room("room"));

        Assert.AreEqual("jid-malformed", sent.Single().ErrorCondition(), sent.Describe());
    }

    [TestMethod]
    public async Task Invite_ModeratorWithoutAllowInvites_Allowed()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");
        await h.JoinAsync(Bob, "room", "Bob");
        await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "moderator")), Owner, Room("room"));

        var sent = await h.SendAsync(Invite(To("hecate@example.org")), Bob, Room("room"));

        Assert.AreEqual("hecate@example.org", sent.Single().To(), sent.Describe());
    }

    [TestMethod]
    [DataRow(false, "forbidden", Affiliation.None)]
    [DataRow(true, null, Affiliation.Member)]
    public async Task Invite_MemberOfMembersOnlyRoom_OnlyWithAllowInvites_ThenInviteeBecomesMember(bool allowInvites, string? error, Affiliation expected)
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync(Owner, "room", "Owner",
            ("muc#roomconfig_membersonly", ["1"]), ("muc#roomconfig_allowinvites", [allowInvites ? "1" : "0"]));
        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "member")), Owner, Room("room"));
        await h.JoinAsync(Bob, "room", "Bob");

        var sent = await h.SendAsync(Invite(To("hecate@example.org")), Bob, Room("room"));

        Assert.AreEqual(error, sent.Single(s => s.To() == Bob || s.To() == "hecate@example.org").ErrorCondition(), sent.Describe());
        Assert.AreEqual(expected, await h.AffiliationAsync("room", "hecate@example.org"));
    }

    [TestMethod]
    public async Task Invite_ModeratorOfMembersOnlyRoomWithoutAdminRights_Forbidden()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync(Owner, "room", "Owner", ("muc#roomconfig_membersonly", ["1"]));
        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "member")), Owner, Room("room"));
        await h.JoinAsync(Bob, "room", "Bob");
        await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "moderator")), Owner, Room("room"));

        var sent = await h.SendAsync(Invite(To("hecate@example.org")), Bob, Room("room"));

        Assert.AreEqual("forbidden", sent.Single().ErrorCondition(), "§9.5: invitations to members-only rooms are for those who may add members");
    }

    [TestMethod]
    public async Task Invite_BannedInviteeOfMembersOnlyRoom_StaysBanned()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync(Owner, "room", "Owner", ("muc#roomconfig_membersonly", ["1"]));
        await h.SendAsync(Adm.Set(Adm.Item(jid: "eve@example.org", affiliation: "outcast")), Owner, Room("room"));

        await h.SendAsync(Invite(To("eve@example.org")), Owner, Room("room"));

        Assert.AreEqual(Affiliation.Outcast, await h.AffiliationAsync("room", "eve@example.org"));
    }

    [TestMethod]
    public async Task Invite_AdminFromOutsideTheRoom_Allowed()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync(Owner, "room", "Owner", ("muc#roomconfig_membersonly", ["1"]));

        var sent = await h.SendAsync(Invite(To("hecate@example.org")), "owner@example.org/phone", Room("room"));

        Assert.IsTrue(sent.Any(s => s.To() == "hecate@example.org"), sent.Describe());
    }

    [TestMethod]
    public async Task Invite_OfTypeChat_NotAnInvitation()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");
        var chat = Invite(To("hecate@example.org"));
        chat.SetAttributeValue("type", "chat");

        var sent = await h.SendAsync(chat, Owner, Room("room"));

        Assert.AreEqual("not-acceptable", sent.Single().ErrorCondition());
    }

    [TestMethod]
    public async Task Decline_ToInvitersFullJid_OnlyThatSession()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");
        await h.JoinAsync("owner@example.org/phone", "room", "Owner");

        var sent = await h.SendAsync(Decline("owner@example.org/phone", "Sorry, I'm too busy right now."), "hecate@example.org/broom", Room("room"));

        XmlAssert.Same("""
            <message from='room@conference.example.org' id='jk2vs61v' to='owner@example.org/phone'>
              <x xmlns='http://jabber.org/protocol/muc#user'>
                <decline from='hecate@example.org'><reason>Sorry, I'm too busy right now.</reason></decline>
              </x>
            </message>
            """, sent.Single());
    }

    [TestMethod]
    public async Task Decline_ToOccupantJid_RelayedToThatOccupant()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");
        await h.JoinAsync(Bob, "room", "Bob");

        var sent = await h.SendAsync(Decline("room@conference.example.org/Bob"), "hecate@example.org/broom", Room("room"));

        Assert.AreEqual(Bob, sent.Single().To(), sent.Describe());
    }

    [TestMethod]
    public async Task Decline_MalformedTo_JidMalformed()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");

        var sent = await h.SendAsync(Decline("@bad@"), "hecate@example.org/broom", Room("room"));

        Assert.AreEqual("jid-malformed", sent.Single().ErrorCondition());
    }

    [TestMethod]
    public async Task DirectInvitation_RoomAdvertisesNothingOfIt()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");

        var info = await h.SendAsync(St.Iq("get", new XElement(XNamespace.Get("http://jabber.org/protocol/disco#info") + "query")), Owner, Room("room"));

        // XEP-0249 is client to client; "jabber:x:conference" belongs in clients' disco, not the room's.
        Assert.IsFalse(info.Single().ToString().Contains("jabber:x:conference"), info.Describe());
    }
}
