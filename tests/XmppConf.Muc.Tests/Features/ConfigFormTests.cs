using System.Xml.Linq;
using XmppConf.Muc.Rooms;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Features;

/// <summary>XEP-0045 §10.2 the muc#roomconfig form: owner get/set, validation, change notices.</summary>
[TestClass]
public sealed class ConfigFormTests
{
    private static async Task<XElement> GetFormAsync(MucHarness h, string from = "owner@example.org/a")
    {
        var reply = await h.SendAsync(St.Iq("get", new XElement(St.MucOwner + "query")), from, Room("room"));
        return reply.Single().Element(St.MucOwner + "query")!.Element(St.Data + "x")!;
    }

    private static string? Value(XElement form, string var) =>
        form.Elements(St.Data + "field").FirstOrDefault(f => f.Attribute("var")?.Value == var)?.Element(St.Data + "value")?.Value;

    [TestMethod]
    public async Task GetForm_HasEveryConfigFieldWithCurrentValues()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner", ("muc#roomconfig_roomname", ["Cave"]));

        var form = await GetFormAsync(h);

        var vars = form.Elements(St.Data + "field").Select(f => f.Attribute("var")?.Value).ToHashSet();
        foreach (var var in new[]
        {
            "FORM_TYPE", "muc#roomconfig_roomname", "muc#roomconfig_roomdesc", "muc#roomconfig_lang", "muc#roomconfig_enablelogging",
            "muc#roomconfig_changesubject", "muc#roomconfig_allowinvites", "muc#roomconfig_allowpm", "muc#roomconfig_maxusers",
            "muc#roomconfig_publicroom", "muc#roomconfig_persistentroom", "muc#roomconfig_moderatedroom", "muc#roomconfig_membersonly",
            "muc#roomconfig_passwordprotectedroom", "muc#roomconfig_roomsecret", "muc#roomconfig_whois", "muc#roomconfig_presencebroadcast",
            "muc#roomconfig_getmemberlist", "muc#roomconfig_roomadmins", "muc#roomconfig_roomowners", "muc#maxhistoryfetch",
        })
        {
            Assert.IsTrue(vars.Contains(var), var);
        }
        Assert.AreEqual("http://jabber.org/protocol/muc#roomconfig", Value(form, "FORM_TYPE"));
        Assert.AreEqual("Cave", Value(form, "muc#roomconfig_roomname"));
        Assert.AreEqual("25", Value(form, "muc#roomconfig_maxusers"));
        Assert.AreEqual("moderators", Value(form, "muc#roomconfig_whois"));
        Assert.AreEqual("owner@example.org", Value(form, "muc#roomconfig_roomowners"));
        Assert.AreEqual("20", Value(form, "muc#maxhistoryfetch"));
    }

    [TestMethod]
    public async Task Submit_AllFields_AppliedToConfig()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner",
            ("muc#roomconfig_roomname", ["A Dark Cave"]),
            ("muc#roomconfig_roomdesc", ["The place for all good witches!"]),
            ("muc#roomconfig_lang", ["en"]),
            ("muc#roomconfig_enablelogging", ["1"]),
            ("muc#roomconfig_changesubject", ["1"]),
            ("muc#roomconfig_allowinvites", ["true"]),
            ("muc#roomconfig_allowpm", ["moderators"]),
            ("muc#roomconfig_maxusers", ["10"]),
            ("muc#roomconfig_publicroom", ["0"]),
            ("muc#roomconfig_persistentroom", ["1"]),
            ("muc#roomconfig_moderatedroom", ["1"]),
            ("muc#roomconfig_membersonly", ["1"]),
            ("muc#roomconfig_passwordprotectedroom", ["1"]),
            ("muc#roomconfig_roomsecret", ["cauldronburn"]),
            ("muc#roomconfig_whois", ["anyone"]),
            ("muc#roomconfig_presencebroadcast", ["moderator", "participant"]),
            ("muc#roomconfig_getmemberlist", ["moderator"]),
            ("muc#maxhistoryfetch", ["50"]),
            ("muc#roomconfig_roomadmins", ["wiccarocks@shakespeare.lit", "hecate@shakespeare.lit"]));

        var config = await h.Service.Registry.AskAsync(Room("room"), r => r.Config, CancellationToken.None);
        var expected = new RoomConfig
        {
            Name = "A Dark Cave",
            Description = "The place for all good witches!",
            Language = "en",
            EnableLogging = true,
            ChangeSubject = true,
            AllowInvites = true,
            AllowPm = PmPolicy.Moderators,
            MaxUsers = 10,
            Public = false,
            Persistent = true,
            Moderated = true,
            MembersOnly = true,
            PasswordProtected = true,
            PasswordHash = config!.PasswordHash,
            Whois = WhoisPolicy.Anyone,
            PresenceBroadcast = RoleSet.Moderator | RoleSet.Participant,
            GetMemberList = RoleSet.Moderator,
            HistoryLength = 50,
        };
        Assert.AreEqual(expected, config);
        // Only a salted hash of the room password is kept.
        Assert.IsTrue(XmppConf.Core.Security.SecretHash.Verify(config.PasswordHash, "cauldronburn"));
        Assert.IsFalse(config.PasswordHash.Contains("cauldronburn"));
        var admins = await h.Service.Registry.AskAsync(Room("room"),
            r => r.State.Affiliations.Where(a => a.Value.Affiliation == Affiliation.Admin).Select(a => a.Key.ToString()).OrderBy(s => s).ToArray(),
            CancellationToken.None);
        CollectionAssert.AreEqual(new[] { "hecate@shakespeare.lit", "wiccarocks@shakespeare.lit" }, admins);
    }

    [TestMethod]
    [DataRow("muc#roomconfig_maxusers", "lots", "not-acceptable")]
    [DataRow("muc#roomconfig_maxusers", "5000", "not-acceptable")]
    [DataRow("muc#roomconfig_publicroom", "maybe", "not-acceptable")]
    [DataRow("muc#roomconfig_whois", "none", "not-acceptable")]
    [DataRow("muc#roomconfig_allowpm", "everybody", "not-acceptable")]
    [DataRow("muc#roomconfig_presencebroadcast", "none", "not-acceptable")]
    [DataRow("muc#maxhistoryfetch", "1000", "not-acceptable")]
    [DataRow("muc#roomconfig_roomadmins", "not a jid@", "not-acceptable")]
    [DataRow("muc#roomconfig_passwordprotectedroom", "1", "not-acceptable")]
    public async Task Submit_InvalidValue_ErrorAndNothingChanged(string var, string value, string condition)
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        var before = await h.Service.Registry.AskAsync(Room("room"), r => r.Config, CancellationToken.None);

        var reply = await h.SendAsync(St.OwnerSubmit(("muc#roomconfig_roomname", ["Changed"]), (var, [value])), "owner@example.org/a", Room("room"));

        Assert.AreEqual(condition, reply.Single().ErrorCondition(), reply.Describe());
        var after = await h.Service.Registry.AskAsync(Room("room"), r => r.Config, CancellationToken.None);
        Assert.AreEqual(before, after);
    }

    [TestMethod]
    public async Task Submit_WrongFormType_BadRequest()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        var iq = St.OwnerSubmit(("muc#roomconfig_roomname", ["x"]));
        iq.Descendants(St.Data + "value").First().Value = "urn:other";

        var reply = await h.SendAsync(iq, "owner@example.org/a", Room("room"));

        Assert.AreEqual("bad-request", reply.Single().ErrorCondition());
    }

    [TestMethod]
    public async Task Submit_RealChange_OccupantsGet104()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var sent = await h.SendAsync(St.OwnerSubmit(("muc#roomconfig_roomname", ["New name"])), "owner@example.org/a", Room("room"));

        var notices = sent.Where(s => s.Name.LocalName == "message").ToList();
        Assert.AreEqual(2, notices.Count, sent.Describe());
        Assert.IsTrue(notices.All(n => n.From() == "room@conference.example.org" && n.Codes().SequenceEqual(new[] { 104 })));
    }

    [TestMethod]
    public async Task Submit_SameValues_No104()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner", ("muc#roomconfig_roomname", ["Same"]));
        await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var sent = await h.SendAsync(St.OwnerSubmit(("muc#roomconfig_roomname", ["Same"])), "owner@example.org/a", Room("room"));

        Assert.AreEqual(1, sent.Count, sent.Describe());
        Assert.AreEqual("result", sent[0].Type());
    }

    [TestMethod]
    [DataRow("muc#roomconfig_whois", "anyone", new[] { 104, 172 })]
    [DataRow("muc#roomconfig_enablelogging", "1", new[] { 104, 170 })]
    public async Task Submit_PrivacyChange_PrivacyStatusCodes(string var, string value, int[] codes)
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");

        var sent = await h.SendAsync(St.OwnerSubmit((var, [value])), "owner@example.org/a", Room("room"));

        CollectionAssert.AreEqual(codes, sent.Single(s => s.Name.LocalName == "message").Codes());
    }

    [TestMethod]
    public async Task Submit_BackToSemiAnonymousAndNoLogging_173And171()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner",
            ("muc#roomconfig_whois", ["anyone"]), ("muc#roomconfig_enablelogging", ["1"]));

        var sent = await h.SendAsync(St.OwnerSubmit(("muc#roomconfig_whois", ["moderators"]), ("muc#roomconfig_enablelogging", ["0"])),
            "owner@example.org/a", Room("room"));

        CollectionAssert.AreEqual(new[] { 104, 171, 173 }, sent.Single(s => s.Name.LocalName == "message").Codes());
    }

    [TestMethod]
    public async Task Submit_RoomOwnersEmpty_ConflictAndOwnerKept()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");

        var reply = await h.SendAsync(St.OwnerSubmit(("muc#roomconfig_roomowners", [])), "owner@example.org/a", Room("room"));

        Assert.AreEqual("conflict", reply.Single().ErrorCondition());
        var owner = await h.Service.Registry.AskAsync(Room("room"), r => r.State.AffiliationOf(J("owner@example.org")), CancellationToken.None);
        Assert.AreEqual(Affiliation.Owner, owner);
    }

    [TestMethod]
    public async Task Submit_AddAdminWhoIsPresent_BecomesModeratorAndIsAnnounced()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var sent = await h.SendAsync(St.OwnerSubmit(("muc#roomconfig_roomadmins", ["bob@example.org"])), "owner@example.org/a", Room("room"));

        var bobPresence = sent.First(s => s.Name.LocalName == "presence" && s.To() == "owner@example.org/a");
        Assert.AreEqual("admin", bobPresence.Item()!.Attribute("affiliation")?.Value);
        Assert.AreEqual("moderator", bobPresence.Item()!.Attribute("role")?.Value);
        var entry = (await h.Occupancy.GetByUserAsync("bob@example.org/b")).Single();
        Assert.AreEqual("moderator", entry.Role);
        Assert.AreEqual("admin", entry.Affiliation);
    }

    [TestMethod]
    public async Task ServerAdmin_MayConfigureAnyRoom()
    {
        await using var h = new MucHarness(isAdmin: j => j.Local == "root");
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");

        var form = await GetFormAsync(h, "root@example.org/console");

        Assert.AreEqual("form", form.Attribute("type")?.Value);
    }

    [TestMethod]
    public async Task Submit_BecomesMembersOnly_NonMembersRemovedWith322()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var sent = await h.SendAsync(St.OwnerSubmit(("muc#roomconfig_membersonly", ["1"])), "owner@example.org/a", Room("room"));

        var toOwner = sent.Single(s => s.Name.LocalName == "presence" && s.To() == "owner@example.org/a");
        Assert.AreEqual("unavailable", toOwner.Type());
        CollectionAssert.AreEqual(new[] { 322 }, toOwner.Codes());
        var toBob = sent.Single(s => s.Name.LocalName == "presence" && s.To() == "bob@example.org/b");
        CollectionAssert.AreEqual(new[] { 110, 322 }, toBob.Codes());
        Assert.AreEqual(0, (await h.Occupancy.GetByUserAsync("bob@example.org/b")).Count);
        var count = await h.Service.Registry.AskAsync(Room("room"), r => r.State.OccupantCount, CancellationToken.None);
        Assert.AreEqual(1, count);
    }

    [TestMethod]
    public async Task Submit_EmptySecretAgain_KeepsPasswordAndStoresNoClearText()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.SendAsync(St.OwnerSubmit(("muc#roomconfig_passwordprotectedroom", ["1"]), ("muc#roomconfig_roomsecret", ["s3same"])), "owner@example.org/a", Room("room"));
        var first = await h.Service.Registry.AskAsync(Room("room"), r => r.Config.PasswordHash, CancellationToken.None);
        // Clients resubmit the whole form with the (unreadable) secret field empty: the password stays.
        var reply = await h.SendAsync(St.OwnerSubmit(("muc#roomconfig_roomname", ["Renamed"]), ("muc#roomconfig_roomsecret", [""])), "owner@example.org/a", Room("room"));
        Assert.IsNull(reply.Single(e => e.Name.LocalName == "iq").ErrorCondition(), reply.Describe());
        var second = await h.Service.Registry.AskAsync(Room("room"), r => r.Config.PasswordHash, CancellationToken.None);
        Assert.AreEqual(first, second);
        Assert.IsTrue(XmppConf.Core.Security.SecretHash.Verify(second, "s3same"));
        var form = await h.SendAsync(St.Iq("get", new System.Xml.Linq.XElement(System.Xml.Linq.XName.Get("query", "http://jabber.org/protocol/muc#owner"))), "owner@example.org/a", Room("room"));
        Assert.IsFalse(form.Describe().Contains("s3same"), "the secret is never sent back");
    }
}
