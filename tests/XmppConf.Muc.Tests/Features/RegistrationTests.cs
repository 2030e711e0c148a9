using System.Xml.Linq;
using XmppConf.Muc.Rooms;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Features;

/// <summary>XEP-0045 §7.10 registering with a room and §7.12 discovering the reserved nickname.</summary>
[TestClass]
public sealed class RegistrationTests
{
    private const string Owner = "owner@example.org/a";
    private const string Bob = "bob@example.org/b";
    private static readonly XNamespace Register = "jabber:iq:register";
    private static readonly XNamespace Info = "http://jabber.org/protocol/disco#info";

    private static XElement GetForm() => St.Iq("get", new XElement(Register + "query"));

    private static XElement Submit(string? nick, string formType = "http://jabber.org/protocol/muc#register")
    {
        var x = new XElement(St.Data + "x", new XAttribute("type", "submit"),
            new XElement(St.Data + "field", new XAttribute("var", "FORM_TYPE"), new XElement(St.Data + "value", formType)),
            new XElement(St.Data + "field", new XAttribute("var", "muc#register_first"), new XElement(St.Data + "value", "Brunhilde")));
        if (nick is not null)
        {
            x.Add(new XElement(St.Data + "field", new XAttribute("var", "muc#register_roomnick"), new XElement(St.Data + "value", nick)));
        }
        return St.Iq("set", new XElement(Register + "query", x));
    }

    private static XElement ReservedNickQuery() =>
        St.Iq("get", new XElement(Info + "query", new XAttribute("node", "x-roomuser-item")));

    [TestMethod]
    public async Task GetForm_Unaffiliated_RegistrationForm()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");

        var sent = await h.SendAsync(GetForm(), Bob, Room("room"));

        XmlAssert.Same("""
            <iq from='room@conference.example.org' to='bob@example.org/b' type='result'>
              <query xmlns='jabber:iq:register'>
                <x xmlns='jabber:x:data' type='form'>
                  <title>Registration for room</title>
                  <instructions>Choose the nickname to reserve for you in this room; you become a member.</instructions>
                  <field type='hidden' var='FORM_TYPE'><value>http://jabber.org/protocol/muc#register</value></field>
                  <field label='Desired Nickname' type='text-single' var='muc#register_roomnick'><required/></field>
                </x>
              </query>
            </iq>
            """, sent.Single(), "id");
    }

    [TestMethod]
    public async Task Submit_Nick_MemberWithReservedNick_ThenRegisteredOnGet()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");

        var sent = await h.SendAsync(Submit("thirdwitch"), Bob, Room("room"));
        var again = await h.SendAsync(GetForm(), Bob, Room("room"));

        Assert.AreEqual("result", sent.IqReply().Type(), sent.Describe());
        var entry = await h.EntryAsync("room", "bob@example.org");
        Assert.AreEqual(Affiliation.Member, entry?.Affiliation);
        Assert.AreEqual("thirdwitch", entry?.Nick);
        XmlAssert.Same("""
            <iq from='room@conference.example.org' to='bob@example.org/b' type='result'>
              <query xmlns='jabber:iq:register'><registered/><username>thirdwitch</username></query>
            </iq>
            """, again.Single(), "id");
    }

    [TestMethod]
    public async Task Submit_WhileInRoom_AffiliationChangeAnnounced()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync(Owner, "room", "Owner", ("muc#roomconfig_moderatedroom", ["1"]));
        await h.JoinAsync(Bob, "room", "Bob");

        var sent = await h.SendAsync(Submit("Bob"), Bob, Room("room"));

        var toOwner = sent.For(Owner).Single();
        Assert.AreEqual("member", toOwner.Item()!.Attribute("affiliation")?.Value, sent.Describe());
        Assert.AreEqual("participant", toOwner.Item()!.Attribute("role")?.Value, "a member of a moderated room has voice");
    }

    [TestMethod]
    public async Task Submit_NickReservedByAnother_ConflictAndNothingChanges()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");
        await h.SendAsync(Submit("thirdwitch"), "carol@example.org/c", Room("room"));

        var sent = await h.SendAsync(Submit("thirdwitch"), Bob, Room("room"));

        Assert.AreEqual("conflict", sent.Single().ErrorCondition(), sent.Describe());
        Assert.AreEqual(Affiliation.None, await h.AffiliationAsync("room", "bob@example.org"));
    }

    [TestMethod]
    public async Task Submit_NickInUseByAnotherOccupant_Conflict()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");

        var sent = await h.SendAsync(Submit("Owner"), Bob, Room("room"));

        Assert.AreEqual("conflict", sent.Single().ErrorCondition());
    }

    [TestMethod]
    public async Task ReservedNick_OtherUserEntering_Conflict_OwnerOfNickEnters()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");
        await h.SendAsync(Submit("thirdwitch"), Bob, Room("room"));

        var other = await h.JoinAsync("carol@example.org/c", "room", "thirdwitch");
        var holder = await h.JoinAsync(Bob, "room", "thirdwitch");

        Assert.AreEqual("conflict", other.Single().ErrorCondition());
        Assert.IsTrue(holder.Any(s => s.Codes().Contains(110)), holder.Describe());
    }

    [TestMethod]
    public async Task Submit_MemberChangesReservedNick()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");
        await h.SendAsync(Submit("thirdwitch"), Bob, Room("room"));

        await h.SendAsync(Submit("hag66"), Bob, Room("room"));

        Assert.AreEqual("hag66", (await h.EntryAsync("room", "bob@example.org"))?.Nick);
        Assert.IsTrue((await h.JoinAsync("carol@example.org/c", "room", "thirdwitch")).Any(s => s.Codes().Contains(110)), "the old nick is free");
    }

    [TestMethod]
    public async Task Submit_Owner_KeepsOwnership()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");

        await h.SendAsync(Submit("crone"), Owner, Room("room"));

        var entry = await h.EntryAsync("room", "owner@example.org");
        Assert.AreEqual(Affiliation.Owner, entry?.Affiliation);
        Assert.AreEqual("crone", entry?.Nick);
    }

    [TestMethod]
    [DataRow("get")]
    [DataRow("set")]
    public async Task MembersOnlyRoom_Unaffiliated_NotAllowed(string type)
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync(Owner, "room", "Owner", ("muc#roomconfig_membersonly", ["1"]));

        var sent = await h.SendAsync(type == "get" ? GetForm() : Submit("thirdwitch"), Bob, Room("room"));

        Assert.AreEqual("not-allowed", sent.Single().ErrorCondition(), sent.Describe());
        Assert.AreEqual(Affiliation.None, await h.AffiliationAsync("room", "bob@example.org"));
    }

    [TestMethod]
    [DataRow("get")]
    [DataRow("set")]
    public async Task Outcast_NotAllowed(string type)
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");
        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "outcast")), Owner, Room("room"));

        var sent = await h.SendAsync(type == "get" ? GetForm() : Submit("thirdwitch"), Bob, Room("room"));

        Assert.AreEqual("not-allowed", sent.Single().ErrorCondition());
        Assert.AreEqual(Affiliation.Outcast, await h.AffiliationAsync("room", "bob@example.org"));
    }

    [TestMethod]
    public async Task Submit_WithoutForm_BadRequest()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");

        var noForm = await h.SendAsync(St.Iq("set", new XElement(Register + "query")), Bob, Room("room"));
        var noNick = await h.SendAsync(Submit(null), Bob, Room("room"));
        var otherForm = await h.SendAsync(Submit("x", "urn:example:other"), Bob, Room("room"));

        Assert.AreEqual("bad-request", noForm.Single().ErrorCondition());
        Assert.AreEqual("bad-request", noNick.Single().ErrorCondition());
        Assert.AreEqual("bad-request", otherForm.Single().ErrorCondition());
        Assert.AreEqual(Affiliation.None, await h.AffiliationAsync("room", "bob@example.org"));
    }

    [TestMethod]
    public async Task Remove_Member_BackToNoAffiliation()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");
        await h.SendAsync(Submit("thirdwitch"), Bob, Room("room"));

        var sent = await h.SendAsync(St.Iq("set", new XElement(Register + "query", new XElement(Register + "remove"))), Bob, Room("room"));

        Assert.AreEqual("result", sent.IqReply().Type());
        Assert.IsNull(await h.EntryAsync("room", "bob@example.org"));
    }

    [TestMethod]
    public async Task ReservedNickQuery_Registered_IdentityWithNick()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");
        await h.SendAsync(Submit("thirdwitch"), Bob, Room("room"));

        var sent = await h.SendAsync(ReservedNickQuery(), Bob, Room("room"));

        XmlAssert.Same("""
            <iq from='room@conference.example.org' to='bob@example.org/b' type='result'>
              <query xmlns='http://jabber.org/protocol/disco#info' node='x-roomuser-item'>
                <identity category='conference' name='thirdwitch' type='text'/>
              </query>
            </iq>
            """, sent.Single(), "id");
    }

    [TestMethod]
    public async Task ReservedNickQuery_NotRegistered_EmptyQuery()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");

        var sent = await h.SendAsync(ReservedNickQuery(), Bob, Room("room"));

        XmlAssert.Same("""
            <iq from='room@conference.example.org' to='bob@example.org/b' type='result'>
              <query xmlns='http://jabber.org/protocol/disco#info' node='x-roomuser-item'/>
            </iq>
            """, sent.Single(), "id");
    }

    [TestMethod]
    public async Task DiscoInfo_AdvertisesRegistration()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");

        var sent = await h.SendAsync(St.Iq("get", new XElement(Info + "query")), Bob, Room("room"));

        Assert.IsTrue(sent.Single().Descendants(Info + "feature").Any(f => f.Attribute("var")?.Value == "jabber:iq:register"), sent.Describe());
    }

    [TestMethod]
    public async Task Registration_PersistentRoom_NickSurvivesRestart()
    {
        var store = new XmppConf.Storage.InMemory.InMemoryRoomStore();
        await using (var first = new MucHarness(store: store))
        {
            await first.CreateConfiguredRoomAsync(Owner, "room", "Owner", ("muc#roomconfig_persistentroom", ["1"]));
            await first.SendAsync(Submit("thirdwitch"), Bob, Room("room"));
        }
        await using var second = new MucHarness(store: store);

        var refused = await second.JoinAsync("carol@example.org/c", "room", "thirdwitch");

        Assert.AreEqual("conflict", refused.Single().ErrorCondition(), refused.Describe());
    }
}
