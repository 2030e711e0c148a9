using XmppConf.Muc.Rooms;
using XmppConf.Muc.Tests.TestKit;
using XmppConf.Storage.InMemory;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Service;

/// <summary>Persistent rooms through IRoomStore, across a restart of the service.</summary>
[TestClass]
public sealed class PersistenceTests
{
    [TestMethod]
    public async Task PersistentRoom_NewServiceOverSameStore_RoomComesBack()
    {
        var store = new InMemoryRoomStore();
        string occupantIdBefore;
        await using (var h = new MucHarness(store: store))
        {
            await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner",
                ("muc#roomconfig_persistentroom", ["1"]), ("muc#roomconfig_roomname", ["Kept"]),
                ("muc#roomconfig_membersonly", ["1"]), ("muc#roomconfig_roomadmins", ["bob@example.org"]));
            await h.SendAsync(St.SubjectMessage("Remember me"), "owner@example.org/a", Room("room"));
            occupantIdBefore = await h.Service.Registry.AskAsync(Room("room"), r => r.State.OccupantIdFor(J("owner@example.org")), CancellationToken.None)
                ?? throw new InvalidOperationException();
            await h.SendAsync(St.Presence("unavailable"), "owner@example.org/a", Room("room", "Owner"));
        }

        await using var restarted = new MucHarness(store: store);
        var refused = await restarted.JoinAsync("eve@example.org/e", "room", "Eve");
        var bob = await restarted.JoinAsync("bob@example.org/b", "room", "Bob");

        Assert.AreEqual("registration-required", refused.Single().ErrorCondition());
        var self = bob.Single(s => s.Codes().Contains(110));
        Assert.AreEqual("admin", self.Item()!.Attribute("affiliation")?.Value);
        Assert.AreEqual("Remember me", bob[^1].Element(St.Client + "subject")?.Value);
        Assert.AreEqual("room@conference.example.org/Owner", bob[^1].From());
        var (name, occupantId) = await restarted.Service.Registry.AskAsync(Room("room"),
            r => (r.Config.Name, r.State.OccupantIdFor(J("owner@example.org"))), CancellationToken.None);
        Assert.AreEqual("Kept", name);
        Assert.AreEqual(occupantIdBefore, occupantId, "XEP-0421 ids survive a restart");
    }

    [TestMethod]
    public async Task PersistentRoom_LastOccupantLeaves_RoomStays()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner", ("muc#roomconfig_persistentroom", ["1"]));

        await h.SendAsync(St.Presence("unavailable"), "owner@example.org/a", Room("room", "Owner"));
        var join = await h.JoinAsync("bob@example.org/b", "room", "Bob");

        Assert.IsTrue(join.Any(s => s.Codes().Contains(110)), join.Describe());
        Assert.IsFalse(join.Any(s => s.Codes().Contains(201)));
    }

    [TestMethod]
    public async Task PersistentRoomMadeTemporary_RemovedFromStore()
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner", ("muc#roomconfig_persistentroom", ["1"]));
        Assert.AreEqual(1, (await h.Store.ListAsync()).Count);

        await h.SendAsync(St.OwnerSubmit(("muc#roomconfig_persistentroom", ["0"])), "owner@example.org/a", Room("room"));

        Assert.AreEqual(0, (await h.Store.ListAsync()).Count);
    }

    [TestMethod]
    public async Task TemporaryRoom_NeverStored()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.SendAsync(St.SubjectMessage("x"), "owner@example.org/a", Room("room"));

        Assert.AreEqual(0, (await h.Store.ListAsync()).Count);
    }

    [TestMethod]
    public async Task StoredRooms_ListedInServiceItemsAfterRestartWithoutActivation()
    {
        var store = new InMemoryRoomStore();
        await using (var h = new MucHarness(store: store))
        {
            await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner",
                ("muc#roomconfig_persistentroom", ["1"]), ("muc#roomconfig_roomname", ["Stored"]));
        }

        await using var restarted = new MucHarness(store: store);
        var reply = (await restarted.SendAsync(St.Iq("get", new System.Xml.Linq.XElement(System.Xml.Linq.XName.Get("query", "http://jabber.org/protocol/disco#items"))),
            "bob@example.org/b", J(ServiceDomain))).Single();

        var item = reply.Descendants().Single(e => e.Name.LocalName == "item");
        Assert.AreEqual("room@conference.example.org", item.Attribute("jid")?.Value);
        Assert.AreEqual("Stored", item.Attribute("name")?.Value);
        Assert.AreEqual(0, restarted.Service.Registry.ActiveCount);
    }

    [TestMethod]
    public void ConfigJson_RoundTripsEveryField()
    {
        var state = new RoomState(J("room@conference.example.org"), new RoomConfig
        {
            Name = "n", AllowPm = PmPolicy.None, Whois = WhoisPolicy.Anyone, PresenceBroadcast = RoleSet.Moderator,
            GetMemberList = RoleSet.Nobody, MaxUsers = 0, HistoryLength = 7, Persistent = true,
        }, DateTimeOffset.UnixEpoch, RoomState.NewSalt());

        var stored = XmppConf.Muc.Service.RoomPersistence.ToStored(state);
        var restored = XmppConf.Muc.Service.RoomPersistence.Restore(stored, new XmppConf.Muc.Service.MucOptions());

        Assert.AreEqual(state.Config, restored.Config);
        StringAssert.Contains(stored.ConfigJson, "\"allowPm\":\"None\"");
    }
}
