using System.Xml.Linq;
using XmppConf.Muc.Rooms;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.Cast;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Features;

/// <summary>
/// Issue 5 audit: every privileged path refuses every rank below the one it needs, judged from
/// the room's own state — including a sender who is not in the room at all, and a stanza whose
/// 'from' attribute claims to be the owner (the service trusts only the routed sender).
/// The cast: a moderated room allowing invitations and subject changes by participants, with an
/// admin (Adm, moderator), a member (Mem, participant), Bob (unaffiliated: a visitor) and a
/// stranger who never entered.
/// </summary>
[TestClass]
public sealed class PrivilegeAuditTests
{
    private const string Admin = "adm@example.org/x";
    private const string Member = "mem@example.org/m";
    private const string Stranger = "stranger@example.org/s";

    private static async Task<MucHarness> CastAsync()
    {
        var h = new MucHarness();
        await h.CreateConfiguredRoomAsync(Owner, "room", "Owner",
            ("muc#roomconfig_moderatedroom", ["1"]), ("muc#roomconfig_allowinvites", ["1"]), ("muc#roomconfig_changesubject", ["1"]));
        await h.SeedAffiliationAsync("room", "adm@example.org", Affiliation.Admin);
        await h.SeedAffiliationAsync("room", "mem@example.org", Affiliation.Member);
        await h.JoinAsync(Admin, "room", "Adm");
        await h.JoinAsync(Member, "room", "Mem");
        await h.JoinAsync(Bob, "room", "Bob");
        Assert.AreEqual(Role.Visitor, await h.RoleAsync("room", "Bob"));
        Assert.AreEqual(Role.Participant, await h.RoleAsync("room", "Mem"));
        return h;
    }

    private static void AssertRefused(List<XElement> sent, string to, string condition)
    {
        var error = sent.Single();
        Assert.AreEqual("error", error.Type(), sent.Describe());
        Assert.AreEqual(to, error.To());
        Assert.AreEqual(condition, error.ErrorCondition(), sent.Describe());
    }

    [TestMethod]
    [DataRow(Admin)]
    [DataRow(Member)]
    [DataRow(Bob)]
    [DataRow(Stranger)]
    public async Task OwnerIq_GetAndSet_ByNonOwner_Forbidden(string from)
    {
        await using var h = await CastAsync();

        AssertRefused(await h.SendAsync(St.Iq("get", new XElement(St.MucOwner + "query")), from, Room("room")), from, "forbidden");
        AssertRefused(await h.SendAsync(St.OwnerSubmit(("muc#roomconfig_moderatedroom", ["0"])), from, Room("room")), from, "forbidden");
        Assert.IsTrue(await h.Service.Registry.AskAsync(Room("room"), r => r.Config.Moderated, CancellationToken.None));
    }

    [TestMethod]
    [DataRow(Admin)]
    [DataRow(Member)]
    [DataRow(Bob)]
    [DataRow(Stranger)]
    public async Task Destroy_ByNonOwner_Forbidden(string from)
    {
        await using var h = await CastAsync();

        var destroy = St.Iq("set", new XElement(St.MucOwner + "query", new XElement(St.MucOwner + "destroy")));
        AssertRefused(await h.SendAsync(destroy, from, Room("room")), from, "forbidden");
        Assert.IsNotNull(await h.RoleAsync("room", "Owner"), "the room is still there");
    }

    [TestMethod]
    [DataRow(Member)]
    [DataRow(Bob)]
    [DataRow(Stranger)]
    public async Task AdminIqSet_KickOrGrant_ByNonModerator_Forbidden(string from)
    {
        await using var h = await CastAsync();

        AssertRefused(await h.SendAsync(Adm.Set(Adm.Item(nick: "Adm", role: "none")), from, Room("room")), from, "forbidden");
        AssertRefused(await h.SendAsync(Adm.Set(Adm.Item(nick: "Bob", role: "participant")), from, Room("room")), from, "forbidden");
        AssertRefused(await h.SendAsync(Adm.Set(Adm.Item(jid: "stranger@example.org", affiliation: "owner")), from, Room("room")), from, "forbidden");
        Assert.AreEqual(Role.Visitor, await h.RoleAsync("room", "Bob"));
        Assert.AreEqual(Affiliation.None, await h.AffiliationAsync("room", "stranger@example.org"));
    }

    [TestMethod]
    [DataRow(Member, "outcast")]
    [DataRow(Bob, "outcast")]
    [DataRow(Stranger, "outcast")]
    [DataRow(Member, "member")]
    [DataRow(Stranger, "admin")]
    [DataRow(Admin, "owner")]
    public async Task AdminIqGet_Lists_BelowTheListsRank_Forbidden(string from, string list)
    {
        await using var h = await CastAsync();

        AssertRefused(await h.SendAsync(Adm.Get(Adm.Item(affiliation: list)), from, Room("room")), from, "forbidden");
    }

    [TestMethod]
    [DataRow(Member)]
    [DataRow(Bob)]
    [DataRow(Stranger)]
    public async Task AdminIqGet_VoiceList_ByNonModerator_Forbidden(string from)
    {
        await using var h = await CastAsync();

        AssertRefused(await h.SendAsync(Adm.Get(Adm.Item(role: "participant")), from, Room("room")), from, "forbidden");
    }

    [TestMethod]
    [DataRow(Bob, "forbidden")]
    [DataRow(Stranger, "not-acceptable")]
    public async Task SubjectChange_ByVisitorOrStranger_Refused(string from, string condition)
    {
        await using var h = await CastAsync();

        AssertRefused(await h.SendAsync(St.SubjectMessage("pwned"), from, Room("room")), from, condition);
        Assert.IsNull(await h.Service.Registry.AskAsync(Room("room"), r => r.State.Subject, CancellationToken.None));
    }

    [TestMethod]
    [DataRow(Bob, "forbidden")]
    [DataRow(Stranger, "not-acceptable")]
    public async Task Groupchat_ByVisitorOrStranger_Refused(string from, string condition)
    {
        await using var h = await CastAsync();

        AssertRefused(await h.SendAsync(St.Groupchat("hello?"), from, Room("room")), from, condition);
    }

    [TestMethod]
    [DataRow(Bob, "forbidden")] // XEP-0045 §5.1.1: visitors may not invite, whatever muc#roomconfig_allowinvites says
    [DataRow(Stranger, "not-acceptable")]
    public async Task Invite_ByVisitorOrStranger_RefusedAndNothingSent(string from, string condition)
    {
        await using var h = await CastAsync();

        var invite = new XElement(St.Client + "message", new XAttribute("id", St.NextId()),
            new XElement(St.MucUser + "x", new XElement(St.MucUser + "invite", new XAttribute("to", "victim@example.org"))));
        AssertRefused(await h.SendAsync(invite, from, Room("room")), from, condition);
    }

    [TestMethod]
    [DataRow(Member)]
    [DataRow(Bob)]
    [DataRow(Stranger)]
    public async Task VoiceApproval_ByNonModerator_ForbiddenAndNoVoice(string from)
    {
        await using var h = await CastAsync();

        var x = new XElement(St.Data + "x", new XAttribute("type", "submit"));
        foreach (var (var, value) in new[] { ("FORM_TYPE", "http://jabber.org/protocol/muc#request"), ("muc#role", "participant"), ("muc#roomnick", "Bob"), ("muc#request_allow", "true") })
        {
            x.Add(new XElement(St.Data + "field", new XAttribute("var", var), new XElement(St.Data + "value", value)));
        }
        AssertRefused(await h.SendAsync(new XElement(St.Client + "message", new XAttribute("id", St.NextId()), x), from, Room("room")), from, "forbidden");
        Assert.AreEqual(Role.Visitor, await h.RoleAsync("room", "Bob"));
    }

    [TestMethod]
    public async Task PrivateMessage_ByStranger_NotAcceptable_ByVisitorWhenOnlyParticipantsMay_Forbidden()
    {
        await using var h = await CastAsync();
        AssertRefused(await h.SendAsync(St.Chat("psst"), Stranger, Room("room", "Mem")), Stranger, "not-acceptable");

        await h.SendAsync(St.OwnerSubmit(("muc#roomconfig_allowpm", ["participants"])), Owner, Room("room"));
        AssertRefused(await h.SendAsync(St.Chat("psst"), Bob, Room("room", "Mem")), Bob, "forbidden");
    }

    [TestMethod]
    public async Task SpoofedFromAttribute_PrivilegesComeFromTheRoutedSender()
    {
        await using var h = await CastAsync();

        // The stanza claims to come from the owner; the server routed it from Bob.
        var destroy = St.Iq("set", new XElement(St.MucOwner + "query", new XElement(St.MucOwner + "destroy")));
        destroy.SetAttributeValue("from", Owner);
        AssertRefused(await h.SendAsync(destroy, Bob, Room("room")), Bob, "forbidden");
        var kick = Adm.Set(Adm.Item(nick: "Mem", role: "none"));
        kick.SetAttributeValue("from", Owner);
        AssertRefused(await h.SendAsync(kick, Bob, Room("room")), Bob, "forbidden");
        Assert.AreEqual(Role.Participant, await h.RoleAsync("room", "Mem"));
    }

    [TestMethod]
    public async Task Registration_NonMemberOfMembersOnlyRoom_NotAllowed()
    {
        await using var h = await CastAsync();
        await h.SendAsync(St.OwnerSubmit(("muc#roomconfig_membersonly", ["1"])), Owner, Room("room"));

        var x = new XElement(St.Data + "x", new XAttribute("type", "submit"),
            new XElement(St.Data + "field", new XAttribute("var", "FORM_TYPE"), new XElement(St.Data + "value", "http://jabber.org/protocol/muc#register")),
            new XElement(St.Data + "field", new XAttribute("var", "muc#register_roomnick"), new XElement(St.Data + "value", "Sneaky")));
        AssertRefused(await h.SendAsync(St.Iq("set", new XElement(XName.Get("query", "jabber:iq:register"), x)), Stranger, Room("room")), Stranger, "not-allowed");
        Assert.AreEqual(Affiliation.None, await h.AffiliationAsync("room", "stranger@example.org"));
    }
}
