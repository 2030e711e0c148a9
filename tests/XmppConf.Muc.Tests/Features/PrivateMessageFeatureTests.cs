using System.Xml.Linq;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Features;

/// <summary>XEP-0045 §7.5 private messages and muc#roomconfig_allowpm.</summary>
[TestClass]
public sealed class PrivateMessageFeatureTests
{
    [TestMethod]
    public async Task PrivateMessage_ToOccupant_DeliveredFromSenderNickToEverySession()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.JoinAsync("bob@example.org/b1", "room", "Bob");
        await h.JoinAsync("bob@example.org/b2", "room", "Bob");

        var sent = await h.SendAsync(St.Chat("psst"), "owner@example.org/a", Room("room", "Bob"));

        CollectionAssert.AreEquivalent(new[] { "bob@example.org/b1", "bob@example.org/b2" }, sent.Select(s => s.To()).ToArray());
        foreach (var m in sent)
        {
            Assert.AreEqual("room@conference.example.org/Owner", m.From());
            Assert.AreEqual("chat", m.Type());
            Assert.AreEqual("psst", m.Element(St.Client + "body")?.Value);
            Assert.IsNotNull(m.Element(St.MucUser + "x"));
        }
    }

    [TestMethod]
    public async Task PrivateMessage_FromNonOccupant_NotAcceptable()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");

        var sent = await h.SendAsync(St.Chat("hi"), "eve@example.org/e", Room("room", "Owner"));

        Assert.AreEqual("not-acceptable", sent.Single().ErrorCondition());
    }

    [TestMethod]
    public async Task PrivateMessage_NoSuchNick_ItemNotFound()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");

        var sent = await h.SendAsync(St.Chat("hi"), "owner@example.org/a", Room("room", "Nobody"));

        Assert.AreEqual("item-not-found", sent.Single().ErrorCondition());
        Assert.AreEqual("room@conference.example.org/Nobody", sent[0].From());
    }

    [TestMethod]
    public async Task PrivateMessage_TypeGroupchat_BadRequest()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var sent = await h.SendAsync(St.Groupchat("oops"), "owner@example.org/a", Room("room", "Bob"));

        Assert.AreEqual("bad-request", sent.Single().ErrorCondition());
    }

    [TestMethod]
    [DataRow("anyone", false, true)]
    [DataRow("participants", false, true)]
    [DataRow("moderators", false, false)]
    [DataRow("moderators", true, true)]
    [DataRow("none", true, false)]
    public async Task PrivateMessage_AllowPm_AppliesToSenderRole(string policy, bool senderIsModerator, bool delivered)
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner", ("muc#roomconfig_allowpm", [policy]));
        await h.JoinAsync("bob@example.org/b", "room", "Bob");
        var (from, to) = senderIsModerator ? ("owner@example.org/a", "Bob") : ("bob@example.org/b", "Owner");

        var sent = await h.SendAsync(St.Chat("hi"), from, Room("room", to));

        if (delivered)
        {
            Assert.AreEqual("message", sent.Single().Name.LocalName);
            Assert.IsNull(sent[0].ErrorCondition());
        }
        else
        {
            Assert.AreEqual("forbidden", sent.Single().ErrorCondition());
        }
    }
}
