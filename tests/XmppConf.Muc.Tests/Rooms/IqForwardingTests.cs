using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Muc.Tests.TestKit;

namespace XmppConf.Muc.Tests.Rooms;

/// <summary>IQs between occupants are relayed through the room with real JIDs and ids hidden.</summary>
[TestClass]
public sealed class IqForwardingTests
{
    private static readonly XNamespace Client = "jabber:client";
    private static readonly XElement VCard = new(XName.Get("vCard", "vcard-temp"));

    [TestMethod]
    public async Task Iq_ToOtherOccupant_RelayedWithOccupantFromAndRoomId_AnswerReturned()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        var request = St.Iq("get", new XElement(VCard));
        var relayed = (await h.SendAsync(request, "bob@example.org/b", MucHarness.Room("room", "Carol"))).Single();
        Assert.AreEqual("carol@example.org/c", relayed.To());
        Assert.AreEqual(MucHarness.Room("room", "Bob").ToString(), relayed.From(), "the responder sees the occupant JID, not bob's real JID");
        var roomId = relayed.Attribute("id")!.Value;
        Assert.AreNotEqual(request.Attribute("id")!.Value, roomId);

        var answer = new XElement(Client + "iq", new XAttribute("type", "result"), new XAttribute("id", roomId),
            new XElement(XName.Get("vCard", "vcard-temp"), new XElement(XName.Get("FN", "vcard-temp"), "Carol C.")));
        var returned = (await h.SendAsync(answer, "carol@example.org/c", MucHarness.Room("room", "Bob"))).Single();
        Assert.AreEqual("bob@example.org/b", returned.To());
        Assert.AreEqual(MucHarness.Room("room", "Carol").ToString(), returned.From(), "the requester sees the occupant JID, not carol's real JID");
        Assert.AreEqual(request.Attribute("id")!.Value, returned.Attribute("id")!.Value);
        Assert.AreEqual("Carol C.", returned.Descendants(XName.Get("FN", "vcard-temp")).Single().Value);
    }

    [TestMethod]
    public async Task Answer_FromSomeoneElseOrTwice_Dropped()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        var relayed = (await h.SendAsync(St.Iq("get", new XElement(VCard)), "bob@example.org/b", MucHarness.Room("room", "Carol"))).Single();
        var roomId = relayed.Attribute("id")!.Value;
        XElement Answer() => new(Client + "iq", new XAttribute("type", "result"), new XAttribute("id", roomId));
        // A third party guessing the id cannot inject an answer.
        Assert.AreEqual(0, (await h.SendAsync(Answer(), "owner@example.org/a", MucHarness.Room("room", "Bob"))).Count);
        Assert.AreEqual(1, (await h.SendAsync(Answer(), "carol@example.org/c", MucHarness.Room("room", "Bob"))).Count);
        Assert.AreEqual(0, (await h.SendAsync(Answer(), "carol@example.org/c", MucHarness.Room("room", "Bob"))).Count, "answered once only");
    }

    [TestMethod]
    public async Task Iq_FromNonOccupant_NotAcceptable()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        var reply = (await h.SendAsync(St.Iq("get", new XElement(VCard)), "mallory@example.org/m", MucHarness.Room("room", "Carol"))).Single();
        Assert.AreEqual("not-acceptable", reply.ErrorCondition());
    }

    [TestMethod]
    public async Task Iq_ToUnknownNick_ItemNotFound()
    {
        await using var h = await MucHarness.RoomWithBobAndCarolAsync();
        var reply = (await h.SendAsync(St.Iq("get", new XElement(VCard)), "bob@example.org/b", MucHarness.Room("room", "Nobody"))).Single();
        Assert.AreEqual("item-not-found", reply.ErrorCondition());
    }
}
