using XmppConf.Core.Addressing;
using XmppConf.Muc.Rooms;
using XmppConf.Muc.Service;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Rooms;

/// <summary>XEP-0045 §7.2.1–§7.2.10: refused entries get the right error, from the occupant JID, and change nothing.</summary>
[TestClass]
public sealed class EntryErrorTests
{
    [TestMethod]
    public async Task Join_NoNick_JidMalformed()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");

        var sent = await h.SendAsync(St.Enter(), "bob@example.org/b", Room("room"));

        Assert.AreEqual("jid-malformed", sent.Single().ErrorCondition());
        Assert.AreEqual("presence", sent[0].Name.LocalName);
    }

    [TestMethod]
    public async Task Join_NoNickNoSuchRoom_JidMalformed()
    {
        await using var h = new MucHarness();

        var sent = await h.SendAsync(St.Enter(), "bob@example.org/b", Room("room"));

        Assert.AreEqual("jid-malformed", sent.Single().ErrorCondition());
    }

    [TestMethod]
    public async Task Join_NickTakenByOtherUser_Conflict()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");

        var sent = await h.JoinAsync("bob@example.org/b", "room", "Owner");

        Assert.AreEqual(1, sent.Count, sent.Describe());
        Assert.AreEqual("conflict", sent[0].ErrorCondition());
        Assert.AreEqual("room@conference.example.org/Owner", sent[0].From());
        Assert.IsNotNull(sent[0].Element(St.Muc + "x"));
    }

    [TestMethod]
    public async Task Join_NickReservedByOtherUser_Conflict()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.Service.Registry.AskAsync(Room("room"), r =>
            r.State.Affiliations[Jid.Parse("carol@example.org")] = new AffiliationEntry(Affiliation.Member, null, "Carol"), CancellationToken.None);

        var refused = await h.JoinAsync("bob@example.org/b", "room", "Carol");
        var admitted = await h.JoinAsync("carol@example.org/c", "room", "Carol");

        Assert.AreEqual("conflict", refused.Single().ErrorCondition());
        Assert.IsTrue(admitted.Any(s => s.Codes().Contains(110)));
    }

    [TestMethod]
    public async Task Join_PasswordProtected_NeedsPassword()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner",
            ("muc#roomconfig_passwordprotectedroom", ["1"]), ("muc#roomconfig_roomsecret", ["cauldronburn"]));

        var none = await h.JoinAsync("bob@example.org/b", "room", "Bob");
        var wrong = await h.JoinAsync("bob@example.org/b", "room", "Bob", new System.Xml.Linq.XElement(St.Muc + "password", "nope"));
        var right = await h.JoinAsync("bob@example.org/b", "room", "Bob", new System.Xml.Linq.XElement(St.Muc + "password", "cauldronburn"));

        Assert.AreEqual("not-authorized", none.Single().ErrorCondition());
        Assert.AreEqual("not-authorized", wrong.Single().ErrorCondition());
        Assert.IsFalse(wrong.Single().ToString().Contains("nope"), "the password is not echoed");
        Assert.IsTrue(right.Any(s => s.Codes().Contains(110)), right.Describe());
    }

    [TestMethod]
    public async Task Join_Banned_Forbidden()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.Service.Registry.AskAsync(Room("room"), r =>
            r.State.Affiliations[Jid.Parse("bob@example.org")] = new AffiliationEntry(Affiliation.Outcast), CancellationToken.None);

        var sent = await h.JoinAsync("bob@example.org/b", "room", "Bob");

        Assert.AreEqual("forbidden", sent.Single().ErrorCondition());
    }

    [TestMethod]
    public async Task Join_MembersOnly_RegistrationRequiredUnlessMember()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner", ("muc#roomconfig_membersonly", ["1"]));
        await h.Service.Registry.AskAsync(Room("room"), r =>
            r.State.Affiliations[Jid.Parse("carol@example.org")] = new AffiliationEntry(Affiliation.Member), CancellationToken.None);

        var bob = await h.JoinAsync("bob@example.org/b", "room", "Bob");
        var carol = await h.JoinAsync("carol@example.org/c", "room", "Carol");

        Assert.AreEqual("registration-required", bob.Single().ErrorCondition());
        var self = carol.Single(s => s.Codes().Contains(110));
        Assert.AreEqual("member", self.Item()!.Attribute("affiliation")?.Value);
    }

    [TestMethod]
    public async Task Join_RoomFull_ServiceUnavailableButAdminsEnter()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner", ("muc#roomconfig_maxusers", ["2"]));
        await h.JoinAsync("bob@example.org/b", "room", "Bob");
        await h.Service.Registry.AskAsync(Room("room"), r =>
            r.State.Affiliations[Jid.Parse("admin@example.org")] = new AffiliationEntry(Affiliation.Admin), CancellationToken.None);

        var carol = await h.JoinAsync("carol@example.org/c", "room", "Carol");
        var admin = await h.JoinAsync("admin@example.org/x", "room", "Admin");

        Assert.AreEqual("service-unavailable", carol.Single().ErrorCondition());
        Assert.IsTrue(admin.Any(s => s.Codes().Contains(110)));
    }

    [TestMethod]
    public async Task Join_MailboxFull_ResourceConstraintWithoutBlocking()
    {
        await using var h = new MucHarness(new MucOptions { RoomMailboxCapacity = 1 });
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        // Hold the room's loop inside an ask, so the mailbox fills.
        var gate = new TaskCompletionSource();
        var blocked = h.Service.Registry.AskAsync(Room("room"), _ => { gate.Task.Wait(); return 0; }, CancellationToken.None);
        await Task.Delay(50);

        await h.Service.RouteAsync(St.Groupchat("one"), J("owner@example.org/a"), Room("room"), CancellationToken.None);
        await h.Service.RouteAsync(St.Groupchat("two"), J("owner@example.org/a"), Room("room"), CancellationToken.None);
        var refused = h.Sink.Take();
        gate.SetResult();
        await blocked;

        Assert.AreEqual("resource-constraint", refused.Single().ErrorCondition(), refused.Describe());
    }
}
