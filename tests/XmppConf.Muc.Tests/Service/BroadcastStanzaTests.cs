using System.Text;
using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Xml;
using XmppConf.Muc.Service;

namespace XmppConf.Muc.Tests.Service;

[TestClass]
public sealed class BroadcastStanzaTests
{
    private static readonly XNamespace Client = Ns.Client;

    private static XElement Template() =>
        new(Client + "message", new XAttribute("from", "room@conference.example.org/Nick"), new XAttribute("type", "groupchat"),
            new XElement(Client + "body", "a < b & c"));

    [TestMethod]
    [DataRow("bob@example.org/phone")]
    [DataRow("bob@example.org/it's <me> & \"you\"")]
    public void ToUtf8_AnyRecipient_SameAsSerialisingTheElement(string to)
    {
        var broadcast = new BroadcastStanza(Template());
        var jid = Jid.Parse(to);

        var spliced = broadcast.ToUtf8(jid);
        var reference = StanzaSerializer.ToUtf8(broadcast.ToElement(jid));

        var a = XElement.Parse("<w xmlns='jabber:client'>" + Encoding.UTF8.GetString(spliced) + "</w>").Elements().Single();
        var b = XElement.Parse("<w xmlns='jabber:client'>" + Encoding.UTF8.GetString(reference) + "</w>").Elements().Single();
        Assert.AreEqual(jid.ToString(), a.Attribute("to")?.Value);
        Assert.IsTrue(XNode.DeepEquals(Normalise(a), Normalise(b)), Encoding.UTF8.GetString(spliced));
    }

    [TestMethod]
    public void ToUtf8_ManyRecipients_TemplateUntouched()
    {
        var template = Template();
        var before = template.ToString();
        var broadcast = new BroadcastStanza(template);

        broadcast.ToUtf8(Jid.Parse("a@example.org/1"));
        broadcast.ToUtf8(Jid.Parse("b@example.org/2"));
        broadcast.ToElement(Jid.Parse("c@example.org/3"));

        Assert.AreEqual(before, template.ToString());
        Assert.IsNull(template.Attribute("to"));
    }

    [TestMethod]
    public void ToUtf8_StartsWithElementNameThenTo()
    {
        var broadcast = new BroadcastStanza(Template());

        var text = Encoding.UTF8.GetString(broadcast.ToUtf8(Jid.Parse("a@example.org/1")));

        StringAssert.StartsWith(text, "<message to='a@example.org/1' from=");
    }

    private static XElement Normalise(XElement e)
    {
        var copy = new XElement(e.Name, e.Attributes().OrderBy(a => a.Name.ToString()), e.Nodes());
        return copy;
    }
}
