using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Stanzas;
using XmppConf.Server.Negotiation;

namespace XmppConf.Server.Tests.Negotiation;

[TestClass]
public sealed class StreamHeaderTests
{
    private static XElement Header(string? to = "localhost", string? version = "1.0", string? xmlns = "jabber:client")
    {
        var header = new XElement(XName.Get("stream", "http://etherx.jabber.org/streams"));
        if (to is not null) header.SetAttributeValue("to", to);
        if (version is not null) header.SetAttributeValue("version", version);
        if (xmlns is not null) header.SetAttributeValue("xmlns", xmlns);
        return header;
    }

    [TestMethod]
    public void Validate_Good_Accepts() => StreamHeader.Validate(Header(), "localhost");

    [TestMethod]
    public void Validate_ToWithTrailingDotAndCase_Accepts() => StreamHeader.Validate(Header("LocalHost."), "localhost");

    [DataTestMethod]
    [DataRow("other.example", "1.0", "jabber:client", StreamErrorCondition.HostUnknown)]
    [DataRow("localhost", null, "jabber:client", StreamErrorCondition.UnsupportedVersion)]
    [DataRow("localhost", "2.0", "jabber:client", StreamErrorCondition.UnsupportedVersion)]
    [DataRow("localhost", "1.0", "jabber:server", StreamErrorCondition.InvalidNamespace)]
    public void Validate_Bad_ThrowsCondition(string to, string? version, string xmlns, StreamErrorCondition expected)
    {
        var ex = Assert.ThrowsException<XmppStreamException>(() => StreamHeader.Validate(Header(to, version, xmlns), "localhost"));
        Assert.AreEqual(expected, ex.Condition);
    }

    [TestMethod]
    public void Error_EscapesText()
    {
        var xml = System.Text.Encoding.UTF8.GetString(StreamHeader.Error(StreamErrorCondition.PolicyViolation, "a < b"));
        StringAssert.Contains(xml, "<policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>");
        StringAssert.Contains(xml, "a &lt; b");
    }
}
