using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Testing;
using XmppConf.Testing.Xmpp;

namespace XmppConf.Scenarios.Tests.Muc;

/// <summary>The MUC service inside the real server: routing, session end, disco, over real sockets.</summary>
[TestClass]
public sealed class RoomIntegrationTests
{
    private static readonly XNamespace Muc = "http://jabber.org/protocol/muc";
    private static readonly XNamespace MucUser = "http://jabber.org/protocol/muc#user";
    private static readonly XNamespace MucOwner = "http://jabber.org/protocol/muc#owner";
    private static readonly XNamespace Data = "jabber:x:data";
    private static LoopbackServer _server = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _)
    {
        _server = await LoopbackServer.StartAsync();
        foreach (var name in new[] { "owner", "guest", "third" }) await _server.AddUserAsync(name, "pw");
    }

    [ClassCleanup]
    public static async Task StopAsync() => await _server.DisposeAsync();

    private static XElement Join(string roomJid) =>
        new(Xmpp.Client + "presence", new XAttribute("to", roomJid), new XElement(Muc + "x"));

    private static bool SelfPresence(XElement e) =>
        Xmpp.IsPresence(e) && e.Element(MucUser + "x")?.Elements(MucUser + "status").Any(s => (string?)s.Attribute("code") == "110") == true;

    private static async Task<string> CreateInstantRoomAsync(TestXmppClient owner, string name)
    {
        var room = $"{name}-{Guid.NewGuid():N}".Substring(0, 20) + "@conference.localhost";
        await owner.SendAsync(Join(room + "/Owner"));
        var self = await owner.ReceiveAsync(SelfPresence);
        Assert.IsTrue(self.Element(MucUser + "x")!.Elements(MucUser + "status").Any(s => (string?)s.Attribute("code") == "201"), self.ToString());
        var result = await owner.IqAsync(Xmpp.Iq("set", new XElement(MucOwner + "query", new XElement(Data + "x", new XAttribute("type", "submit"))), room));
        Assert.AreEqual("result", (string?)result.Attribute("type"), result.ToString());
        return room;
    }

    [TestMethod, Timeout(30_000)]
    public async Task Groupchat_ThroughServer_BroadcastWithStanzaIdAndOccupantFrom()
    {
        await using var owner = await _server.LoginAsync("owner", "pw", "o1");
        await using var guest = await _server.LoginAsync("guest", "pw", "g1");
        var room = await CreateInstantRoomAsync(owner, "chat");
        await guest.SendAsync(Join(room + "/Guest"));
        await guest.ReceiveAsync(SelfPresence);
        await guest.SendAsync(Xmpp.Message(room, "hello room", "groupchat"));
        foreach (var client in new[] { owner, guest })
        {
            var message = await client.ReceiveAsync(e => Xmpp.IsMessage(e) && e.Element(Xmpp.Client + "body")?.Value == "hello room");
            Assert.AreEqual(room + "/Guest", (string?)message.Attribute("from"));
            var stanzaId = message.Element(XName.Get("stanza-id", "urn:xmpp:sid:0"));
            Assert.IsNotNull(stanzaId, message.ToString());
            Assert.AreEqual(room, (string?)stanzaId.Attribute("by"));
        }
    }

    [TestMethod, Timeout(30_000)]
    public async Task Disconnect_WithoutLeaving_OthersSeeUnavailable()
    {
        await using var owner = await _server.LoginAsync("owner", "pw", "o2");
        var room = await CreateInstantRoomAsync(owner, "drop");
        var guest = await _server.LoginAsync("guest", "pw", "g2");
        await guest.SendAsync(Join(room + "/Leaver"));
        await guest.ReceiveAsync(SelfPresence);
        await owner.ReceiveAsync(e => Xmpp.IsPresence(e) && (string?)e.Attribute("from") == room + "/Leaver" && e.Attribute("type") is null);
        // The TCP connection ends with no unavailable presence from the client.
        await guest.DisposeAsync();
        var gone = await owner.ReceiveAsync(e => Xmpp.IsPresence(e) && (string?)e.Attribute("from") == room + "/Leaver" && (string?)e.Attribute("type") == "unavailable");
        Assert.IsNotNull(gone);
        // The nick is free again.
        await using var third = await _server.LoginAsync("third", "pw", "t2");
        await third.SendAsync(Join(room + "/Leaver"));
        await third.ReceiveAsync(SelfPresence);
    }

    [TestMethod, Timeout(30_000)]
    public async Task ServerDisco_ListsConferenceService_ServiceAnswersDisco()
    {
        await using var owner = await _server.LoginAsync("owner", "pw", "o3");
        var items = await owner.IqAsync(Xmpp.Iq("get", new XElement(XName.Get("query", "http://jabber.org/protocol/disco#items")), "localhost"));
        CollectionAssert.Contains(items.Descendants().Select(e => (string?)e.Attribute("jid")).ToList(), "conference.localhost");
        var info = await owner.IqAsync(Xmpp.Iq("get", new XElement(XName.Get("query", "http://jabber.org/protocol/disco#info")), "conference.localhost"));
        var identity = info.Descendants(XName.Get("identity", "http://jabber.org/protocol/disco#info")).First();
        Assert.AreEqual("conference", (string?)identity.Attribute("category"));
        Assert.AreEqual("text", (string?)identity.Attribute("type"));
        CollectionAssert.Contains(info.Descendants(XName.Get("feature", "http://jabber.org/protocol/disco#info")).Select(f => (string?)f.Attribute("var")).ToList(), "http://jabber.org/protocol/muc");
    }

    [TestMethod, Timeout(30_000)]
    public async Task PersistentRoom_SurvivesServerRestart()
    {
        var settings = new Dictionary<string, string?>();
        string room;
        var dataDir = Path.Combine(Path.GetTempPath(), "xmppconf-muc-restart-" + Guid.NewGuid().ToString("N")[..8]);
        settings["Server:DataDirectory"] = dataDir;
        try
        {
            await using (var first = await LoopbackServer.StartAsync(settings))
            {
                await first.AddUserAsync("keeper", "pw");
                await using var keeper = await first.LoginAsync("keeper", "pw", "k");
                room = "keep-" + Guid.NewGuid().ToString("N")[..8] + "@conference.localhost";
                await keeper.SendAsync(Join(room + "/Keeper"));
                await keeper.ReceiveAsync(SelfPresence);
                var submit = new XElement(Data + "x", new XAttribute("type", "submit"),
                    new XElement(Data + "field", new XAttribute("var", "FORM_TYPE"), new XElement(Data + "value", "http://jabber.org/protocol/muc#roomconfig")),
                    new XElement(Data + "field", new XAttribute("var", "muc#roomconfig_persistentroom"), new XElement(Data + "value", "1")),
                    new XElement(Data + "field", new XAttribute("var", "muc#roomconfig_roomname"), new XElement(Data + "value", "Kept Room")));
                var result = await keeper.IqAsync(Xmpp.Iq("set", new XElement(MucOwner + "query", submit), room));
                Assert.AreEqual("result", (string?)result.Attribute("type"), result.ToString());
            }
            await using var second = await LoopbackServer.StartAsync(settings);
            await using var keeperAgain = await second.LoginAsync("keeper", "pw", "k2");
            var info = await keeperAgain.IqAsync(Xmpp.Iq("get", new XElement(XName.Get("query", "http://jabber.org/protocol/disco#info")), room));
            Assert.AreEqual("result", (string?)info.Attribute("type"), info.ToString());
            Assert.AreEqual("Kept Room", (string?)info.Descendants(XName.Get("identity", "http://jabber.org/protocol/disco#info")).First().Attribute("name"));
        }
        finally
        {
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
    }
}
