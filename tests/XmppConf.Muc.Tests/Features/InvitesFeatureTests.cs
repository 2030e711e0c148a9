using System.Xml.Linq;
using XmppConf.Muc.Rooms;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Features;

/// <summary>XEP-0045 §7.8.2 mediated invitations.</summary>
[TestClass]
public sealed class InvitesFeatureTests
{
    private static XElement Invite(string to, string? reason = null) =>
        new(St.Client + "message", new XAttribute("id", St.NextId()),
            new XElement(St.MucUser + "x", new XElement(St.MucUser + "invite", new XAttribute("to", to),
                reason is null ? null : new XElement(St.MucUser + "reason", reason))));

    [TestMethod]
    public async Task Invite_ByOwner_RelayedFromRoomWithPasswordAndBareInviter()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner",
            ("muc#roomconfig_passwordprotectedroom", ["1"]), ("muc#roomconfig_roomsecret", ["cauldronburn"]));

        var sent = await h.SendAsync(Invite("hecate@example.org", "come"), "owner@example.org/a", Room("room"));

        var m = sent.Single();
        Assert.AreEqual("room@conference.example.org", m.From());
        Assert.AreEqual("hecate@example.org", m.To());
        var invite = m.Element(St.MucUser + "x")!.Element(St.MucUser + "invite")!;
        Assert.AreEqual("owner@example.org", invite.Attribute("from")?.Value);
        Assert.AreEqual("come", invite.Element(St.MucUser + "reason")?.Value);
        Assert.AreEqual("cauldronburn", m.Element(St.MucUser + "x")!.Element(St.MucUser + "password")?.Value);
    }

    [TestMethod]
    [DataRow(false, "forbidden")]
    [DataRow(true, null)]
    public async Task Invite_ByParticipant_NeedsAllowInvites(bool allow, string? error)
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner", ("muc#roomconfig_allowinvites", [allow ? "1" : "0"]));
        await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var sent = await h.SendAsync(Invite("hecate@example.org"), "bob@example.org/b", Room("room"));

        Assert.AreEqual(error, sent.Single().ErrorCondition());
    }

    [TestMethod]
    public async Task Invite_ByNonOccupant_NotAcceptable()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");

        var sent = await h.SendAsync(Invite("hecate@example.org"), "eve@example.org/e", Room("room"));

        Assert.AreEqual("not-acceptable", sent.Single().ErrorCondition());
    }

    [TestMethod]
    public async Task Invite_ByOwnerToMembersOnlyRoom_InviteeBecomesMemberAndEnters()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner", ("muc#roomconfig_membersonly", ["1"]));

        await h.SendAsync(Invite("hecate@example.org"), "owner@example.org/a", Room("room"));
        var join = await h.JoinAsync("hecate@example.org/broom", "room", "Hecate");

        var affiliation = await h.Service.Registry.AskAsync(Room("room"), r => r.State.AffiliationOf(J("hecate@example.org")), CancellationToken.None);
        Assert.AreEqual(Affiliation.Member, affiliation);
        Assert.IsTrue(join.Any(s => s.Codes().Contains(110)), join.Describe());
    }

    [TestMethod]
    public async Task Decline_ToOccupant_RelayedFromRoom()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        var decline = new XElement(St.Client + "message",
            new XElement(St.MucUser + "x", new XElement(St.MucUser + "decline", new XAttribute("to", "owner@example.org"),
                new XElement(St.MucUser + "reason", "busy"))));

        var sent = await h.SendAsync(decline, "hecate@example.org/broom", Room("room"));

        var m = sent.Single();
        Assert.AreEqual("owner@example.org/a", m.To());
        Assert.AreEqual("room@conference.example.org", m.From());
        var relayed = m.Element(St.MucUser + "x")!.Element(St.MucUser + "decline")!;
        Assert.AreEqual("hecate@example.org", relayed.Attribute("from")?.Value);
        Assert.AreEqual("busy", relayed.Element(St.MucUser + "reason")?.Value);
    }

    [TestMethod]
    public async Task Decline_ToStranger_NotRelayed()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        var decline = new XElement(St.Client + "message",
            new XElement(St.MucUser + "x", new XElement(St.MucUser + "decline", new XAttribute("to", "victim@example.org"))));

        var sent = await h.SendAsync(decline, "spammer@example.org/s", Room("room"));

        Assert.AreEqual(0, sent.Count, sent.Describe());
    }
}
