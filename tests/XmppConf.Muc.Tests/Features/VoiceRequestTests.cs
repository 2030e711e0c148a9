using System.Xml.Linq;
using XmppConf.Muc.Rooms;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;
using static XmppConf.Muc.Tests.TestKit.Cast;

namespace XmppConf.Muc.Tests.Features;

/// <summary>XEP-0045 §7.13 requesting voice and §8.6 approving voice requests.</summary>
[TestClass]
public sealed class VoiceRequestTests
{

    private static XElement Form(params (string Var, string Value)[] fields)
    {
        var x = new XElement(St.Data + "x", new XAttribute("type", "submit"),
            new XElement(St.Data + "field", new XAttribute("var", "FORM_TYPE"),
                new XElement(St.Data + "value", "http://jabber.org/protocol/muc#request")));
        foreach (var (var, value) in fields)
        {
            x.Add(new XElement(St.Data + "field", new XAttribute("var", var), new XElement(St.Data + "value", value)));
        }
        return new XElement(St.Client + "message", new XAttribute("id", St.NextId()), x);
    }

    private static XElement Request() => Form(("muc#role", "participant"));

    private static XElement Approval(string nick, string allow, string var = "muc#request_allow") =>
        Form(("muc#role", "participant"), ("muc#jid", "bob@example.org/b"), ("muc#roomnick", nick), (var, allow));

    [TestMethod]
    public async Task Request_Visitor_EachModeratorGetsTheApprovalForm()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));
        await h.SendAsync(Adm.Set(Adm.Item(nick: "Carol", role: "moderator")), Owner, Room("room"));

        var sent = await h.SendAsync(Request(), Bob, Room("room"));

        CollectionAssert.AreEquivalent(new[] { Owner, Carol }, sent.Select(s => s.To()).ToArray(), sent.Describe());
        XmlAssert.Same("""
            <message from='room@conference.example.org' to='owner@example.org/a'>
              <x xmlns='jabber:x:data' type='form'>
                <title>Voice request</title>
                <instructions>To approve this request for voice, select the "Grant voice to this person?" checkbox and click OK. To skip this request, click the cancel button.</instructions>
                <field type='hidden' var='FORM_TYPE'><value>http://jabber.org/protocol/muc#request</value></field>
                <field label='Requested role' type='list-single' var='muc#role'><value>participant</value></field>
                <field label='User ID' type='jid-single' var='muc#jid'><value>bob@example.org/b</value></field>
                <field label='Room Nickname' type='text-single' var='muc#roomnick'><value>Bob</value></field>
                <field label='Grant voice to this person?' type='boolean' var='muc#request_allow'><value>false</value></field>
              </x>
            </message>
            """, sent.For(Owner).Single(), "id");
        Assert.AreEqual(Role.Visitor, await h.RoleAsync("room", "Bob"), "asking changes nothing by itself");
    }

    [TestMethod]
    [DataRow("muc#request_allow")]
    [DataRow("muc#roomvoice_allow")]
    public async Task Approve_True_GrantsVoiceWithPresenceToAll(string var)
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));
        await h.SendAsync(Request(), Bob, Room("room"));

        var sent = await h.SendAsync(Approval("Bob", "true", var), Owner, Room("room"));

        Assert.AreEqual(Role.Participant, await h.RoleAsync("room", "Bob"));
        Assert.AreEqual("participant", sent.For(Carol).Single().Item()!.Attribute("role")?.Value, sent.Describe());
        CollectionAssert.AreEqual(new[] { 110 }, sent.For(Bob).Single().Codes());
    }

    [TestMethod]
    [DataRow("false")]
    [DataRow("0")]
    public async Task Approve_False_NothingHappens(string allow)
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));

        var sent = await h.SendAsync(Approval("Bob", allow), Owner, Room("room"));

        Assert.AreEqual(0, sent.Count, sent.Describe());
        Assert.AreEqual(Role.Visitor, await h.RoleAsync("room", "Bob"));
    }

    [TestMethod]
    public async Task Approve_ByVisitor_ForbiddenAndNoVoice()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));

        var sent = await h.SendAsync(Approval("Bob", "true"), Bob, Room("room"));

        Assert.AreEqual("forbidden", sent.Single().ErrorCondition(), sent.Describe());
        Assert.AreEqual(Role.Visitor, await h.RoleAsync("room", "Bob"));
    }

    [TestMethod]
    public async Task Approve_BogusBoolean_BadRequest()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));

        var sent = await h.SendAsync(Approval("Bob", "maybe"), Owner, Room("room"));

        Assert.AreEqual("bad-request", sent.Single().ErrorCondition());
        Assert.AreEqual(Role.Visitor, await h.RoleAsync("room", "Bob"));
    }

    [TestMethod]
    public async Task Approve_VisitorLeft_ItemNotFound()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));
        await h.SendAsync(St.Presence("unavailable"), Bob, Room("room", "Bob"));

        var sent = await h.SendAsync(Approval("Bob", "true"), Owner, Room("room"));

        Assert.AreEqual("item-not-found", sent.Single().ErrorCondition());
    }

    [TestMethod]
    public async Task Request_Repeated_ReachesModeratorsOncePerInterval()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));

        var first = await h.SendAsync(Request(), Bob, Room("room"));
        var repeat = await h.SendAsync(Request(), Bob, Room("room"));
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var later = await h.SendAsync(Request(), Bob, Room("room"));

        Assert.AreEqual(1, first.Count, first.Describe());
        Assert.AreEqual(0, repeat.Count, repeat.Describe());
        Assert.AreEqual(1, later.Count, later.Describe());
    }

    [TestMethod]
    public async Task Request_NonOccupant_NotAcceptable()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));

        var sent = await h.SendAsync(Request(), "eve@example.org/e", Room("room"));

        Assert.AreEqual("not-acceptable", sent.Single().ErrorCondition());
    }

    [TestMethod]
    public async Task Request_ParticipantAlreadyHasVoice_NothingSent()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");
        await h.JoinAsync(Bob, "room", "Bob");

        var sent = await h.SendAsync(Request(), Bob, Room("room"));

        Assert.AreEqual(0, sent.Count, sent.Describe());
    }

    [TestMethod]
    public async Task DiscoInfo_AdvertisesVoiceRequests()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));

        var sent = await h.SendAsync(St.Iq("get", new XElement(XNamespace.Get("http://jabber.org/protocol/disco#info") + "query")), Bob, Room("room"));

        Assert.IsTrue(sent.Single().Descendants().Any(f => f.Name.LocalName == "feature" && f.Attribute("var")?.Value == "http://jabber.org/protocol/muc#request"), sent.Describe());
    }

    [TestMethod]
    public async Task Request_ForModeratorRole_BadRequest()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync(("muc#roomconfig_moderatedroom", ["1"]));

        var sent = await h.SendAsync(Form(("muc#role", "moderator")), Bob, Room("room"));

        Assert.AreEqual("bad-request", sent.Single().ErrorCondition());
    }
}
