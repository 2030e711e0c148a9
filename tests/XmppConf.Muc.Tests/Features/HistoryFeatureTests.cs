using System.Xml.Linq;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Features;

/// <summary>XEP-0045 §7.2.14 discussion history with XEP-0203 delay.</summary>
[TestClass]
public sealed class HistoryFeatureTests
{
    private static readonly XName Delay = XName.Get("delay", "urn:xmpp:delay");

    private static async Task<MucHarness> RoomWithMessagesAsync(int count, TimeSpan? spacing = null, params (string, string[])[] config)
    {
        var h = new MucHarness();
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner", config);
        for (var i = 1; i <= count; i++)
        {
            await h.SendAsync(St.Groupchat("message " + i), "owner@example.org/a", Room("room"));
            h.Time.Advance(spacing ?? TimeSpan.FromMinutes(1));
        }
        return h;
    }

    private static List<XElement> History(List<XElement> sent, string to) =>
        sent.Where(s => s.To() == to && s.Name.LocalName == "message" && s.Element(St.Client + "body") is not null).ToList();

    [TestMethod]
    public async Task Join_AfterMessages_HistoryBetweenSelfPresenceAndSubjectWithDelay()
    {
        await using var h = await RoomWithMessagesAsync(3);

        var sent = await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var toBob = sent.Where(s => s.To() == "bob@example.org/b").ToList();
        var selfIndex = toBob.FindIndex(s => s.Codes().Contains(110));
        var subjectIndex = toBob.FindIndex(s => s.Element(St.Client + "subject") is not null);
        var history = History(sent, "bob@example.org/b");
        Assert.AreEqual(3, history.Count);
        Assert.IsTrue(toBob.IndexOf(history[0]) > selfIndex && toBob.IndexOf(history[^1]) < subjectIndex, sent.Describe());
        Assert.AreEqual("message 1", history[0].Element(St.Client + "body")?.Value);
        Assert.AreEqual("room@conference.example.org/Owner", history[0].From());
        var delay = history[0].Element(Delay);
        Assert.AreEqual("room@conference.example.org", delay?.Attribute("from")?.Value);
        Assert.AreEqual("2026-01-01T12:00:00.000Z", delay?.Attribute("stamp")?.Value);
        Assert.IsNotNull(history[0].Element(XName.Get("stanza-id", "urn:xmpp:sid:0")));
    }

    [TestMethod]
    [DataRow("maxstanzas", "2", 2)]
    [DataRow("maxstanzas", "0", 0)]
    [DataRow("seconds", "150", 2)]
    [DataRow("since", "2026-01-01T12:01:00Z", 4)]
    [DataRow("maxchars", "0", 0)]
    [DataRow("maxstanzas", "junk", 5)]
    public async Task Join_HistoryRequest_LimitsMessages(string attribute, string value, int expected)
    {
        await using var h = await RoomWithMessagesAsync(5);

        var sent = await h.JoinAsync("bob@example.org/b", "room", "Bob", new XElement(St.Muc + "history", new XAttribute(attribute, value)));

        var history = History(sent, "bob@example.org/b");
        Assert.AreEqual(expected, history.Count, sent.Describe());
        if (expected > 0)
        {
            Assert.AreEqual("message 5", history[^1].Element(St.Client + "body")?.Value, "the newest messages are kept");
        }
    }

    [TestMethod]
    public async Task Join_MaxChars_CountsWholeStanzas()
    {
        await using var h = await RoomWithMessagesAsync(3);
        var one = await h.Service.Registry.AskAsync(Room("room"), r => r.State.History.Last().Chars, CancellationToken.None);

        var sent = await h.JoinAsync("bob@example.org/b", "room", "Bob", new XElement(St.Muc + "history", new XAttribute("maxchars", one * 2 + 1)));

        Assert.AreEqual(2, History(sent, "bob@example.org/b").Count);
    }

    [TestMethod]
    public async Task History_KeepsOnlyConfiguredLength()
    {
        await using var h = await RoomWithMessagesAsync(5, null, ("muc#maxhistoryfetch", ["3"]));

        var sent = await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var history = History(sent, "bob@example.org/b");
        Assert.AreEqual(3, history.Count);
        Assert.AreEqual("message 3", history[0].Element(St.Client + "body")?.Value);
    }

    [TestMethod]
    public async Task History_MessagesWithoutBody_NotKept()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        var chatState = new XElement(St.Client + "message", new XAttribute("type", "groupchat"),
            new XElement(XName.Get("active", "http://jabber.org/protocol/chatstates")));
        await h.SendAsync(chatState, "owner@example.org/a", Room("room"));

        var sent = await h.JoinAsync("bob@example.org/b", "room", "Bob");

        Assert.IsFalse(sent.Any(s => s.Element(Delay) is not null), sent.Describe());
    }
}
