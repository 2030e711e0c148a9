using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Features;
using XmppConf.Muc.Rooms;
using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Features;

[TestClass]
public sealed class FeatureSetTests
{
    private sealed class Probe(int order, string name, List<string> log) : IRoomFeature
    {
        public int Order => order;

        public StanzaError? CheckJoin(RoomContext room, JoinRequest join)
        {
            log.Add(name);
            return join.Nick == "Refused" ? StanzaError.NotAllowed("probe") : null;
        }

        public IqReply? HandleRoomIq(RoomContext room, Occupant? sender, XElement iq, Jid from) =>
            iq.Element(XName.Get("probe", "urn:test")) is null ? null : IqReply.Result(new XElement(XName.Get("probe", "urn:test"), name));
    }

    [TestMethod]
    public void Constructor_SortsByOrderKeepingRegistrationOrderForTies()
    {
        var log = new List<string>();
        var set = new FeatureSet([new Probe(5, "b", log), new Probe(1, "a", log), new Probe(5, "c", log)]);

        foreach (var feature in set.All)
        {
            feature.CheckJoin(null!, new JoinRequest(J("u@example.org/r"), Room("room", "n"), new XElement("p"), null, Affiliation.None, false));
        }

        CollectionAssert.AreEqual(new[] { "a", "b", "c" }, log);
    }

    [TestMethod]
    public void DefaultFeatures_OrdersAreUnique()
    {
        var orders = FeatureSet.Default.All.Select(f => f.Order).ToList();

        Assert.AreEqual(orders.Count, orders.Distinct().Count(), string.Join(",", orders));
    }

    [TestMethod]
    public async Task With_ExtraFeature_TakesPartInEntryChecksAndIqs()
    {
        var log = new List<string>();
        await using var h = new MucHarness(features: FeatureSet.Default.With(new Probe(500, "probe", log)));
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");

        var refused = await h.JoinAsync("bob@example.org/b", "room", "Refused");
        var answer = await h.SendAsync(St.Iq("get", new XElement(XName.Get("probe", "urn:test"))), "bob@example.org/b", Room("room"));

        Assert.AreEqual("not-allowed", refused.Single().ErrorCondition());
        Assert.AreEqual("probe", answer.Single().Element(XName.Get("probe", "urn:test"))?.Value);
    }
}
