using System.Xml.Linq;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Features;

/// <summary>XEP-0045 §10.9 destroying a room.</summary>
[TestClass]
public sealed class DestroyTests
{
    private const string Owner = "owner@example.org/a";
    private const string Bob = "bob@example.org/b";

    private static XElement Destroy(string? venue = "coven@conference.example.org", string? reason = "Macbeth doth come.", string? password = null)
    {
        var destroy = new XElement(St.MucOwner + "destroy");
        if (venue is not null) destroy.SetAttributeValue("jid", venue);
        if (reason is not null) destroy.Add(new XElement(St.MucOwner + "reason", reason));
        if (password is not null) destroy.Add(new XElement(St.MucOwner + "password", password));
        return St.Iq("set", new XElement(St.MucOwner + "query", destroy));
    }

    private static async Task<MucHarness> PersistentRoomWithBobAsync()
    {
        var h = new MucHarness();
        await h.CreateConfiguredRoomAsync(Owner, "room", "Owner", ("muc#roomconfig_persistentroom", ["1"]));
        await h.JoinAsync(Bob, "room", "Bob");
        return h;
    }

    [TestMethod]
    public async Task Destroy_ByOwner_EachOccupantGetsOnlyItsOwnUnavailableWithDestroy()
    {
        await using var h = await PersistentRoomWithBobAsync();

        var sent = await h.SendAsync(Destroy(password: "cauldronburn"), Owner, Room("room"));

        Assert.AreEqual("result", sent.IqReply().Type(), sent.Describe());
        Assert.AreEqual(3, sent.Count, "one presence per occupant, none broadcast: " + sent.Describe());
        XmlAssert.Same("""
            <presence from='room@conference.example.org/Bob' to='bob@example.org/b' type='unavailable'>
              <x xmlns='http://jabber.org/protocol/muc#user'>
                <item affiliation='none' jid='bob@example.org/b' role='none'/>
                <destroy jid='coven@conference.example.org'><reason>Macbeth doth come.</reason><password>cauldronburn</password></destroy>
                <status code='110'/>
              </x>
              <occupant-id xmlns='urn:xmpp:occupant-id:0'/>
            </presence>
            """, sent.For(Bob).Single(), "id");
        var owners = sent.For(Owner).Single(s => s.Name.LocalName == "presence");
        Assert.AreEqual("room@conference.example.org/Owner", owners.From());
        Assert.IsNotNull(owners.Element(St.MucUser + "x")?.Element(St.MucUser + "destroy"));
    }

    [TestMethod]
    public async Task Destroy_PersistentRoom_GoneFromStoreAndLaterRequestsItemNotFound()
    {
        await using var h = await PersistentRoomWithBobAsync();

        await h.SendAsync(Destroy(), Owner, Room("room"));

        Assert.IsNull(await h.Store.LoadAsync("room@conference.example.org"));
        Assert.AreEqual(0, h.Service.Registry.ActiveCount);
        Assert.AreEqual(0, (await h.Occupancy.GetByUserAsync(Bob)).Count);
        var later = await h.SendAsync(Adm.Get(Adm.Item(affiliation: "owner")), Owner, Room("room"));
        Assert.AreEqual("item-not-found", later.Single().ErrorCondition(), later.Describe());
        var message = await h.SendAsync(St.Groupchat("hello?"), Bob, Room("room"));
        Assert.AreEqual("item-not-found", message.Single().ErrorCondition());
    }

    [TestMethod]
    public async Task Destroy_WithoutVenueOrReason_BareDestroyElement()
    {
        await using var h = await PersistentRoomWithBobAsync();

        var sent = await h.SendAsync(Destroy(venue: null, reason: null), Owner, Room("room"));

        var destroy = sent.For(Bob).Single().Element(St.MucUser + "x")!.Element(St.MucUser + "destroy")!;
        Assert.IsFalse(destroy.HasAttributes || destroy.HasElements, destroy.ToString());
    }

    [TestMethod]
    [DataRow(Bob)]
    [DataRow("stranger@example.org/x")]
    public async Task Destroy_ByNonOwner_ForbiddenAndRoomStays(string from)
    {
        await using var h = await PersistentRoomWithBobAsync();

        var sent = await h.SendAsync(Destroy(), from, Room("room"));

        Assert.AreEqual("forbidden", sent.Single().ErrorCondition(), sent.Describe());
        Assert.IsNotNull(sent.Single().Element(St.MucOwner + "query")?.Element(St.MucOwner + "destroy"), "the request is echoed (§10.9 example 207)");
        Assert.IsNotNull(await h.Store.LoadAsync("room@conference.example.org"));
        Assert.AreEqual(2, await h.Service.Registry.AskAsync(Room("room"), r => r.State.OccupantCount, CancellationToken.None));
    }

    [TestMethod]
    public async Task Destroy_ByAdmin_Forbidden()
    {
        await using var h = await PersistentRoomWithBobAsync();
        await h.SendAsync(Adm.Set(Adm.Item(jid: "bob@example.org", affiliation: "admin")), Owner, Room("room"));

        var sent = await h.SendAsync(Destroy(), Bob, Room("room"));

        Assert.AreEqual("forbidden", sent.Single().ErrorCondition());
        Assert.AreEqual(1, h.Service.Registry.ActiveCount);
    }

    [TestMethod]
    public async Task Destroy_ByServerAdmin_Allowed()
    {
        await using var h = new MucHarness(isAdmin: j => j.ToString() == "root@example.org");
        await h.CreateInstantRoomAsync(Owner, "room", "Owner");

        var sent = await h.SendAsync(Destroy(), "root@example.org/console", Room("room"));

        Assert.AreEqual("result", sent.IqReply().Type(), sent.Describe());
        Assert.AreEqual(0, h.Service.Registry.ActiveCount);
    }

    [TestMethod]
    public async Task Destroy_BadVenue_JidMalformedAndRoomStays()
    {
        await using var h = await PersistentRoomWithBobAsync();

        var sent = await h.SendAsync(Destroy(venue: "@bad@"), Owner, Room("room"));

        Assert.AreEqual("jid-malformed", sent.Single().ErrorCondition());
        Assert.AreEqual(1, h.Service.Registry.ActiveCount);
    }

    [TestMethod]
    public async Task Destroy_AsIqGet_BadRequest()
    {
        await using var h = await PersistentRoomWithBobAsync();
        var get = Destroy();
        get.SetAttributeValue("type", "get");

        var sent = await h.SendAsync(get, Owner, Room("room"));

        Assert.AreEqual("bad-request", sent.Single().ErrorCondition());
        Assert.AreEqual(1, h.Service.Registry.ActiveCount);
    }

    [TestMethod]
    public async Task Destroy_ThenEnterAgain_NewRoomWithNewOwner()
    {
        await using var h = await PersistentRoomWithBobAsync();
        await h.SendAsync(Destroy(), Owner, Room("room"));

        var join = await h.JoinAsync(Bob, "room", "Bob");

        Assert.IsTrue(join.Any(s => s.Codes().Contains(201)), "the name is free again: " + join.Describe());
    }
}
