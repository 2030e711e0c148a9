using System.Xml.Linq;
using XmppConf.Core.Xml;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Features;

/// <summary>XEP-0045 §6 service discovery on the service and on rooms; XEP-0059 paging.</summary>
[TestClass]
public sealed class DiscoTests
{
    private static readonly XNamespace Info = Ns.DiscoInfo;
    private static readonly XNamespace Items = Ns.DiscoItems;
    private static readonly XNamespace Rsm = "http://jabber.org/protocol/rsm";

    private static XElement InfoQuery() => St.Iq("get", new XElement(Info + "query"));

    private static XElement ItemsQuery(params XElement[] rsm) =>
        St.Iq("get", new XElement(Items + "query", rsm.Length == 0 ? null : new XElement(Rsm + "set", rsm)));

    private static string[] Features(XElement result) =>
        result.Element(Info + "query")!.Elements(Info + "feature").Select(f => f.Attribute("var")!.Value).ToArray();

    [TestMethod]
    public async Task ServiceInfo_ConferenceIdentityAndMucFeature()
    {
        await using var h = new MucHarness();

        var reply = (await h.SendAsync(InfoQuery(), "bob@example.org/b", J(ServiceDomain))).Single();

        Assert.AreEqual("result", reply.Type());
        Assert.AreEqual(ServiceDomain, reply.From());
        var identity = reply.Element(Info + "query")!.Element(Info + "identity")!;
        Assert.AreEqual("conference", identity.Attribute("category")?.Value);
        Assert.AreEqual("text", identity.Attribute("type")?.Value);
        CollectionAssert.Contains(Features(reply), "http://jabber.org/protocol/muc");
    }

    [TestMethod]
    public async Task RoomInfo_DefaultRoom_FeaturesAndRoomInfoForm()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner",
            ("muc#roomconfig_roomname", ["The Cave"]), ("muc#roomconfig_roomdesc", ["Dark"]), ("muc#roomconfig_lang", ["en"]));
        await h.SendAsync(St.SubjectMessage("Spells"), "owner@example.org/a", Room("room"));

        var reply = (await h.SendAsync(InfoQuery(), "bob@example.org/b", Room("room"))).Single();

        Assert.AreEqual("The Cave", reply.Element(Info + "query")!.Element(Info + "identity")!.Attribute("name")?.Value);
        var features = Features(reply);
        foreach (var f in new[] { "http://jabber.org/protocol/muc", "muc_public", "muc_temporary", "muc_open", "muc_unmoderated",
            "muc_unsecured", "muc_semianonymous", "urn:xmpp:sid:0", "urn:xmpp:occupant-id:0",
            "http://jabber.org/protocol/muc#self-ping-optimization" })
        {
            CollectionAssert.Contains(features, f);
        }
        var form = reply.Element(Info + "query")!.Element(St.Data + "x")!;
        string? Field(string var) => form.Elements(St.Data + "field").FirstOrDefault(x => x.Attribute("var")?.Value == var)?.Element(St.Data + "value")?.Value;
        Assert.AreEqual("result", form.Attribute("type")?.Value);
        Assert.AreEqual("http://jabber.org/protocol/muc#roominfo", Field("FORM_TYPE"));
        Assert.AreEqual("Dark", Field("muc#roominfo_description"));
        Assert.AreEqual("1", Field("muc#roominfo_occupants"));
        Assert.AreEqual("Spells", Field("muc#roominfo_subject"));
        Assert.AreEqual("en", Field("muc#roominfo_lang"));
    }

    [TestMethod]
    public async Task RoomInfo_ConfiguredRoom_FeaturesFollowConfig()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner",
            ("muc#roomconfig_publicroom", ["0"]), ("muc#roomconfig_persistentroom", ["1"]), ("muc#roomconfig_membersonly", ["1"]),
            ("muc#roomconfig_moderatedroom", ["1"]), ("muc#roomconfig_passwordprotectedroom", ["1"]), ("muc#roomconfig_roomsecret", ["s"]),
            ("muc#roomconfig_whois", ["anyone"]));

        var features = Features((await h.SendAsync(InfoQuery(), "bob@example.org/b", Room("room"))).Single());

        foreach (var f in new[] { "muc_hidden", "muc_persistent", "muc_membersonly", "muc_moderated", "muc_passwordprotected", "muc_nonanonymous" })
        {
            CollectionAssert.Contains(features, f);
        }
        foreach (var f in new[] { "muc_public", "muc_temporary", "muc_open", "muc_unmoderated", "muc_unsecured", "muc_semianonymous" })
        {
            CollectionAssert.DoesNotContain(features, f);
        }
    }

    [TestMethod]
    public async Task RoomInfo_LockedRoom_ItemNotFoundExceptForOwner()
    {
        await using var h = new MucHarness();
        await h.JoinAsync("owner@example.org/a", "room", "Owner");

        var other = (await h.SendAsync(InfoQuery(), "bob@example.org/b", Room("room"))).Single();
        var owner = (await h.SendAsync(InfoQuery(), "owner@example.org/a", Room("room"))).Single();

        Assert.AreEqual("item-not-found", other.ErrorCondition());
        Assert.AreEqual("result", owner.Type());
    }

    [TestMethod]
    [DataRow("moderators", 0)]
    [DataRow("anyone", 2)]
    public async Task RoomItems_OccupantsListedOnlyInNonAnonymousRooms(string whois, int expected)
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner", ("muc#roomconfig_whois", [whois]));
        await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var reply = (await h.SendAsync(ItemsQuery(), "eve@example.org/e", Room("room"))).Single();

        Assert.AreEqual("result", reply.Type());
        Assert.AreEqual(expected, reply.Element(Items + "query")!.Elements(Items + "item").Count());
    }

    [TestMethod]
    public async Task ServiceItems_ListsPublicUnlockedRoomsOnly()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "alpha", "Owner", ("muc#roomconfig_roomname", ["Alpha"]));
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "hidden", "Owner", ("muc#roomconfig_publicroom", ["0"]));
        await h.JoinAsync("owner@example.org/a", "locked", "Owner");

        var reply = (await h.SendAsync(ItemsQuery(), "bob@example.org/b", J(ServiceDomain))).Single();

        var items = reply.Element(Items + "query")!.Elements(Items + "item").ToList();
        Assert.AreEqual(1, items.Count, reply.ToString());
        Assert.AreEqual("alpha@conference.example.org", items[0].Attribute("jid")?.Value);
        Assert.AreEqual("Alpha", items[0].Attribute("name")?.Value);
    }

    [TestMethod]
    public async Task ServiceItems_RsmPaging_ForwardAndBackward()
    {
        await using var h = new MucHarness();
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await h.CreateInstantRoomAsync("owner@example.org/x", name, "Owner");
        }
        string[] Jids(XElement r) => r.Element(Items + "query")!.Elements(Items + "item").Select(i => i.Attribute("jid")!.Value.Split('@')[0]).ToArray();
        XElement Set(XElement r) => r.Element(Items + "query")!.Element(Rsm + "set")!;

        var first = (await h.SendAsync(ItemsQuery(new XElement(Rsm + "max", 2)), "bob@example.org/b", J(ServiceDomain))).Single();
        CollectionAssert.AreEqual(new[] { "a", "b" }, Jids(first));
        Assert.AreEqual("5", Set(first).Element(Rsm + "count")?.Value);
        Assert.AreEqual("0", Set(first).Element(Rsm + "first")?.Attribute("index")?.Value);
        var last = Set(first).Element(Rsm + "last")!.Value;

        var second = (await h.SendAsync(ItemsQuery(new XElement(Rsm + "max", 2), new XElement(Rsm + "after", last)), "bob@example.org/b", J(ServiceDomain))).Single();
        CollectionAssert.AreEqual(new[] { "c", "d" }, Jids(second));

        var lastPage = (await h.SendAsync(ItemsQuery(new XElement(Rsm + "max", 2), new XElement(Rsm + "before")), "bob@example.org/b", J(ServiceDomain))).Single();
        CollectionAssert.AreEqual(new[] { "d", "e" }, Jids(lastPage));

        var countOnly = (await h.SendAsync(ItemsQuery(new XElement(Rsm + "max", 0)), "bob@example.org/b", J(ServiceDomain))).Single();
        Assert.AreEqual(0, Jids(countOnly).Length);
        Assert.AreEqual("5", Set(countOnly).Element(Rsm + "count")?.Value);
    }

    [TestMethod]
    public async Task ServiceItems_NoRsmButMoreThanPage_CutWithSet()
    {
        await using var h = new MucHarness(new XmppConf.Muc.Service.MucOptions { DiscoItemsPageSize = 2 });
        foreach (var name in new[] { "a", "b", "c" })
        {
            await h.CreateInstantRoomAsync("owner@example.org/x", name, "Owner");
        }

        var reply = (await h.SendAsync(ItemsQuery(), "bob@example.org/b", J(ServiceDomain))).Single();

        Assert.AreEqual(2, reply.Element(Items + "query")!.Elements(Items + "item").Count());
        Assert.AreEqual("3", reply.Element(Items + "query")!.Element(Rsm + "set")?.Element(Rsm + "count")?.Value);
    }

    [TestMethod]
    public async Task Service_OtherIq_ServiceUnavailable()
    {
        await using var h = new MucHarness();

        var reply = (await h.SendAsync(St.Iq("get", new XElement(XName.Get("query", "jabber:iq:version"))), "bob@example.org/b", J(ServiceDomain))).Single();

        Assert.AreEqual("service-unavailable", reply.ErrorCondition());
    }
}
