using System.Xml.Linq;
using XmppConf.Core.Xml;
using XmppConf.Hostile.Tests.Kit;
using XmppConf.Testing.Xmpp;

namespace XmppConf.Hostile.Tests;

/// <summary>
/// Attacks on conference rooms (XEP-0045): outsiders writing to a members-only room, privilege escalation through
/// muc#admin, bogus affiliation values, forged occupant addresses, join/leave storms and bad nicknames. The
/// room's state is read back from its owner afterwards: an attack that was refused must also have changed nothing.
/// </summary>
[TestClass]
public sealed class RoomAttackTests
{
    private static readonly XNamespace Client = Ns.Client;
    private static readonly XNamespace Muc = Ns.Muc;
    private static readonly XNamespace MucUser = Ns.MucUser;
    private static readonly XNamespace MucAdmin = Ns.MucAdmin;
    private static readonly XNamespace MucOwner = Ns.MucOwner;
    private static readonly XNamespace Data = Ns.DataForms;

    private const string Club = "club@conference.localhost";
    private const string Lobby = "lobby@conference.localhost";

    private static ServerProcess _server = null!;
    private static TestXmppClient _owner = null!;
    private static TestXmppClient _member = null!;

    public TestContext TestContext { get; set; } = null!;

    /// <summary>owner creates a members-only room (club) with member on its member list, and an open room (lobby); both stay in.</summary>
    [ClassInitialize]
    public static async Task StartAsync(TestContext _)
    {
        _server = await Suite.StartServerAsync();
        _owner = await _server.LoginAsync("owner", Suite.Password, "desk");
        await CreateRoomAsync(_owner, Club, membersOnly: true);
        await CreateRoomAsync(_owner, Lobby, membersOnly: false);
        var added = await _owner.IqAsync(AdminSet(Club, new XElement(MucAdmin + "item", new XAttribute("affiliation", "member"), new XAttribute("jid", "member@localhost"))));
        Assert.AreEqual("result", (string?)added.Attribute("type"), added.ToString());
        _member = await _server.LoginAsync("member", Suite.Password, "desk");
        await _member.SendAsync(Join(Club + "/Member"));
        await _member.ReceiveAsync(SelfPresence);
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        if (_member is not null) await _member.DisposeAsync();
        if (_owner is not null) await _owner.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>XEP-0045 §7.4: only occupants may send to all occupants; an outsider gets not-acceptable, nobody gets the message.</summary>
    [TestMethod, Timeout(60_000)]
    public async Task NonMember_GroupchatToMembersOnlyRoom_NotAcceptableNothingRelayed()
    {
        await using var attacker = await _server.LoginAsync("mallory", Suite.Password, "outsider", Suite.Attacker(1));
        var message = new XElement(Client + "message", new XAttribute("to", Club), new XAttribute("type", "groupchat"), new XAttribute("id", "spam"), new XElement(Client + "body", "spam"));
        await attacker.SendAsync(message);
        var error = await attacker.ReceiveAsync(e => (string?)e.Attribute("id") == "spam");
        Assert.AreEqual("not-acceptable", TestXmppClient.GetErrorCondition(error), error.ToString());
        await _member.ExpectNothingAsync(TimeSpan.FromMilliseconds(300), e => Suite.IsMessageFrom(e) && e.Element(Client + "body")?.Value == "spam");
        await Suite.AssertServesAsync(_server);
    }

    /// <summary>XEP-0045 §7.2.5: entering a members-only room without membership is registration-required.</summary>
    [TestMethod, Timeout(60_000)]
    public async Task NonMember_JoinMembersOnlyRoom_RegistrationRequired()
    {
        await using var attacker = await _server.LoginAsync("mallory", Suite.Password, "gatecrash", Suite.Attacker(2));
        await attacker.SendAsync(Join(Club + "/Crasher"));
        var error = await attacker.ReceiveAsync(e => e.Name == Client + "presence" && (string?)e.Attribute("type") == "error");
        Assert.AreEqual("registration-required", TestXmppClient.GetErrorCondition(error), error.ToString());
    }

    [TestMethod, Timeout(60_000)]
    public async Task NonMember_PrivateMessageThroughMembersOnlyRoom_NotAcceptable()
    {
        await using var attacker = await _server.LoginAsync("mallory", Suite.Password, "pm", Suite.Attacker(3));
        await attacker.SendAsync(new XElement(Client + "message", new XAttribute("to", Club + "/Member"), new XAttribute("type", "chat"), new XAttribute("id", "pm"), new XElement(Client + "body", "psst")));
        var error = await attacker.ReceiveAsync(e => (string?)e.Attribute("id") == "pm");
        Assert.AreEqual("not-acceptable", TestXmppClient.GetErrorCondition(error), error.ToString());
        await _member.ExpectNothingAsync(TimeSpan.FromMilliseconds(300), e => Suite.IsMessageFrom(e) && e.Element(Client + "body")?.Value == "psst");
    }

    /// <summary>
    /// XEP-0045 §9, §10: only admins and owners change affiliations. An outsider, and a member inside the room,
    /// trying to make themselves owner or to ban the owner, are forbidden, and the lists stay as they were.
    /// </summary>
    [DataTestMethod, Timeout(60_000)]
    [DataRow("outsider", "owner", "mallory@localhost", DisplayName = "outsider makes itself owner")]
    [DataRow("outsider", "outcast", "owner@localhost", DisplayName = "outsider bans the owner")]
    [DataRow("member", "owner", "member@localhost", DisplayName = "member makes itself owner")]
    [DataRow("member", "admin", "member@localhost", DisplayName = "member makes itself admin")]
    [DataRow("member", "none", "owner@localhost", DisplayName = "member strips the owner")]
    public async Task AffiliationChange_ByNonOwner_ForbiddenAndListsUnchanged(string who, string affiliation, string target)
    {
        var before = await AffiliationsAsync();
        var actor = who == "member" ? _member : await _server.LoginAsync("mallory", Suite.Password, "escalate", Suite.Attacker(4));
        try
        {
            var reply = await actor.IqAsync(AdminSet(Club, new XElement(MucAdmin + "item", new XAttribute("affiliation", affiliation), new XAttribute("jid", target))));
            Assert.AreEqual("forbidden", TestXmppClient.GetErrorCondition(reply), reply.ToString());
        }
        finally
        {
            if (actor != _member) await actor.DisposeAsync();
        }
        Assert.AreEqual(before, await AffiliationsAsync());
    }

    /// <summary>Values outside XEP-0045's schema (§19.3) are bad-request, even from the owner, and change nothing.</summary>
    [DataTestMethod, Timeout(60_000)]
    [DataRow("affiliation", "superuser", DisplayName = "unknown affiliation")]
    [DataRow("affiliation", "OWNER", DisplayName = "affiliation in capitals")]
    [DataRow("affiliation", "", DisplayName = "empty affiliation")]
    [DataRow("affiliation", "owner ", DisplayName = "affiliation with a trailing space")]
    [DataRow("role", "god", DisplayName = "unknown role")]
    [DataRow("both", "owner", DisplayName = "role and affiliation in one item")]
    public async Task AffiliationChange_BogusValue_BadRequestAndListsUnchanged(string attribute, string value)
    {
        var before = await AffiliationsAsync();
        var item = new XElement(MucAdmin + "item", new XAttribute("jid", "mallory@localhost"), new XAttribute("nick", "Member"));
        if (attribute == "both")
        {
            item.SetAttributeValue("affiliation", value);
            item.SetAttributeValue("role", "moderator");
        }
        else
        {
            item.SetAttributeValue(attribute, value);
        }
        var reply = await _owner.IqAsync(AdminSet(Club, item));
        Assert.AreEqual("bad-request", TestXmppClient.GetErrorCondition(reply), reply.ToString());
        Assert.AreEqual(before, await AffiliationsAsync());
    }

    /// <summary>An occupant forging another occupant's JID: the room relays it from the sender's own nick.</summary>
    [TestMethod, Timeout(60_000)]
    public async Task SpoofedFrom_OccupantJidInGroupchat_RelayedFromSendersNick()
    {
        await using var attacker = await _server.LoginAsync("mallory", Suite.Password, "impostor", Suite.Attacker(5));
        await attacker.SendAsync(Join(Lobby + "/Impostor"));
        await attacker.ReceiveAsync(SelfPresence);
        await using var victim = await _server.LoginAsync("victim", Suite.Password, "lobby");
        await victim.SendAsync(Join(Lobby + "/Victim"));
        await victim.ReceiveAsync(SelfPresence);
        await attacker.SendAsync(new XElement(Client + "message", new XAttribute("from", Lobby + "/Owner"), new XAttribute("to", Lobby),
            new XAttribute("type", "groupchat"), new XElement(Client + "body", "I am the owner")));
        var relayed = await victim.ReceiveAsync(e => Suite.IsMessageFrom(e) && e.Element(Client + "body")?.Value == "I am the owner");
        Assert.AreEqual(Lobby + "/Impostor", (string?)relayed.Attribute("from"), relayed.ToString());
    }

    /// <summary>
    /// 300 joins and leaves as fast as the socket takes them: each join is answered (self-presence, or
    /// resource-constraint once room rate limits exist), the room ends with the attacker gone and the
    /// bystander still in, and memory is bounded.
    /// </summary>
    [TestMethod, Timeout(120_000)]
    public async Task JoinLeaveLoop_ThreeHundredTimes_RoomConsistentMemoryBounded()
    {
        await using var bystander = await _server.LoginAsync("victim", Suite.Password, "bystander");
        await bystander.SendAsync(Join(Lobby + "/Bystander"));
        await bystander.ReceiveAsync(SelfPresence);
        var rss = RssWatch.Start(_server, "join/leave loop x300");
        await using (var attacker = await _server.LoginAsync("mallory", Suite.Password, "churn", Suite.Attacker(6)))
        {
            var throttled = 0;
            for (var i = 0; i < 300; i++)
            {
                await attacker.SendAsync(Join(Lobby + "/Churn"));
                var answer = await attacker.ReceiveAsync(e => e.Name == Client + "presence" && ((string?)e.Attribute("from"))?.StartsWith(Lobby, StringComparison.Ordinal) == true
                    && (SelfPresence(e) || (string?)e.Attribute("type") == "error"));
                if ((string?)answer.Attribute("type") == "error")
                {
                    Assert.AreEqual("resource-constraint", TestXmppClient.GetErrorCondition(answer), answer.ToString());
                    throttled++;
                    continue;
                }
                await attacker.SendAsync(new XElement(Client + "presence", new XAttribute("to", Lobby + "/Churn"), new XAttribute("type", "unavailable")));
                await attacker.ReceiveAsync(e => e.Name == Client + "presence" && (string?)e.Attribute("type") == "unavailable" && (string?)e.Attribute("from") == Lobby + "/Churn");
            }
            TestContext.WriteLine($"{throttled} of 300 joins throttled");
            Assert.AreEqual("result", (string?)(await attacker.IqAsync(Suite.ServerPing())).Attribute("type"));
        }
        // The bystander is still an occupant and can talk; the churner is gone.
        await bystander.SendAsync(new XElement(Client + "message", new XAttribute("to", Lobby), new XAttribute("type", "groupchat"), new XElement(Client + "body", "still here")));
        await bystander.ReceiveAsync(e => Suite.IsMessageFrom(e, Lobby + "/Bystander") && e.Element(Client + "body")?.Value == "still here");
        var items = await bystander.IqAsync(new XElement(Client + "iq", new XAttribute("type", "get"), new XAttribute("to", Lobby), new XElement(XName.Get("query", Ns.DiscoItems))));
        var nicks = items.Descendants().Select(e => (string?)e.Attribute("name")).Where(n => n is not null).ToList();
        CollectionAssert.DoesNotContain(nicks, "Churn", items.ToString());
        await Suite.AssertServesAsync(_server);
        await rss.AssertBoundedAsync(TestContext);
    }

    /// <summary>
    /// XEP-0045 §7.2.1 / RFC 7622: an empty nick, control characters and a 1 KiB nick cannot be a resourcepart,
    /// so the occupant JID is jid-malformed; the attacker never becomes an occupant.
    /// </summary>
    [DataTestMethod, Timeout(60_000)]
    [DataRow("", DisplayName = "empty nick")]
    [DataRow("bad\u007fnick", DisplayName = "DEL")]
    [DataRow("bad\u0085nick", DisplayName = "C1 control NEL")]
    [DataRow("&#9;tab", DisplayName = "tab by reference")]
    [DataRow("bad\u200bnick", DisplayName = "zero width space")]
    [DataRow("1kib", DisplayName = "1 KiB nick")]
    public async Task BadNick_Join_JidMalformedNotAnOccupant(string nick)
    {
        if (nick == "1kib") nick = new string('n', 1024);
        await using var attacker = await _server.LoginAsync("mallory", Suite.Password, "nick", Suite.Attacker(7));
        // Raw, so the tab arrives as a character reference (a literal tab in an attribute is normalised to a space).
        await attacker.SendRawAsync($"<presence to='{Lobby}/{nick}' id='badnick'><x xmlns='{Ns.Muc}'/></presence>");
        var reply = await attacker.ReceiveAsync(e => e.Name == Client + "presence" && (string?)e.Attribute("id") == "badnick");
        Assert.AreEqual("error", (string?)reply.Attribute("type"), reply.ToString());
        Assert.AreEqual("jid-malformed", TestXmppClient.GetErrorCondition(reply), reply.ToString());
        var items = await _owner.IqAsync(new XElement(Client + "iq", new XAttribute("type", "get"), new XAttribute("to", Lobby), new XElement(XName.Get("query", Ns.DiscoItems))));
        Assert.IsFalse(items.Descendants().Any(e => ((string?)e.Attribute("jid"))?.Contains("bad", StringComparison.Ordinal) == true), items.ToString());
    }

    private static XElement Join(string occupantJid) =>
        new(Client + "presence", new XAttribute("to", occupantJid), new XElement(Muc + "x"));

    private static bool SelfPresence(XElement e) =>
        e.Name == Client + "presence" && e.Element(MucUser + "x")?.Elements(MucUser + "status").Any(s => (string?)s.Attribute("code") == "110") == true;

    private static XElement AdminSet(string room, XElement item) =>
        new(Client + "iq", new XAttribute("type", "set"), new XAttribute("to", room), new XElement(MucAdmin + "query", item));

    private static async Task CreateRoomAsync(TestXmppClient owner, string room, bool membersOnly)
    {
        await owner.SendAsync(Join(room + "/Owner"));
        await owner.ReceiveAsync(SelfPresence);
        var form = new XElement(Data + "x", new XAttribute("type", "submit"),
            new XElement(Data + "field", new XAttribute("var", "FORM_TYPE"), new XElement(Data + "value", "http://jabber.org/protocol/muc#roomconfig")),
            new XElement(Data + "field", new XAttribute("var", "muc#roomconfig_membersonly"), new XElement(Data + "value", membersOnly ? "1" : "0")));
        var result = await owner.IqAsync(new XElement(Client + "iq", new XAttribute("type", "set"), new XAttribute("to", room), new XElement(MucOwner + "query", form)));
        Assert.AreEqual("result", (string?)result.Attribute("type"), result.ToString());
    }

    /// <summary>The club's owner, admin, member and outcast lists as the owner reads them (XEP-0045 §9.5, §10.5).</summary>
    private static async Task<string> AffiliationsAsync()
    {
        var lists = new List<string>();
        foreach (var affiliation in new[] { "owner", "admin", "member", "outcast" })
        {
            var reply = await _owner.IqAsync(new XElement(Client + "iq", new XAttribute("type", "get"), new XAttribute("to", Club),
                new XElement(MucAdmin + "query", new XElement(MucAdmin + "item", new XAttribute("affiliation", affiliation)))));
            Assert.AreEqual("result", (string?)reply.Attribute("type"), reply.ToString());
            lists.Add(affiliation + ": " + string.Join(",", reply.Descendants(MucAdmin + "item").Select(i => (string?)i.Attribute("jid")).Order()));
        }
        return string.Join("; ", lists);
    }
}
