using System.Xml.Linq;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Features;

/// <summary>XEP-0410 MUC self-ping.</summary>
[TestClass]
public sealed class SelfPingFeatureTests
{
    private static XElement Ping() => St.Iq("get", new XElement(XName.Get("ping", "urn:xmpp:ping")));

    [TestMethod]
    public async Task SelfPing_Joined_Result()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        var ping = Ping();

        var sent = await h.SendAsync(ping, "owner@example.org/a", Room("room", "Owner"));

        Assert.AreEqual("result", sent.Single().Type());
        Assert.AreEqual(ping.Attribute("id")!.Value, sent[0].Attribute("id")?.Value);
        Assert.AreEqual("room@conference.example.org/Owner", sent[0].From());
    }

    [TestMethod]
    [DataRow("owner@example.org/other")]
    [DataRow("eve@example.org/e")]
    public async Task SelfPing_NotJoined_NotAcceptable(string from)
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");

        var sent = await h.SendAsync(Ping(), from, Room("room", "Owner"));

        Assert.AreEqual("not-acceptable", sent.Single().ErrorCondition());
    }

    [TestMethod]
    public async Task SelfPing_RoomGone_ItemNotFound()
    {
        await using var h = new MucHarness();

        var sent = await h.SendAsync(Ping(), "owner@example.org/a", Room("room", "Owner"));

        Assert.AreEqual("item-not-found", sent.Single().ErrorCondition());
    }
}
