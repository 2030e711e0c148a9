using System.Buffers;
using System.Text;
using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Xml;

namespace XmppConf.Core.Tests.Xml;

[TestClass]
public sealed class StanzaSerializerTests
{
    private static readonly XNamespace Client = Ns.Client;

    [TestMethod]
    public void ToUtf8_ClientMessage_NoContentNamespaceDeclaration()
    {
        var message = new XElement(Client + "message", new XAttribute("to", "romeo@example.net"), new XAttribute("type", "chat"),
            new XElement(Client + "body", "hi €"));
        Assert.AreEqual("<message to='romeo@example.net' type='chat'><body>hi €</body></message>", Serialize(message));
    }

    [TestMethod]
    public void ToUtf8_PayloadNamespaces_DeclaredWhereTheyStart()
    {
        var iq = new XElement(Client + "iq", new XAttribute("type", "result"), new XAttribute("id", "r1"),
            new XElement(XName.Get("query", Ns.Roster), new XElement(XName.Get("item", Ns.Roster), new XAttribute("jid", "a@b"))),
            new XElement(XName.Get("ping", Ns.Ping)));
        Assert.AreEqual(
            "<iq type='result' id='r1'><query xmlns='jabber:iq:roster'><item jid='a@b'/></query><ping xmlns='urn:xmpp:ping'/></iq>",
            Serialize(iq));
    }

    [TestMethod]
    public void ToUtf8_ParsedStanzaWithExplicitClientNamespace_DropsIt()
    {
        var parsed = XElement.Parse("<message xmlns='jabber:client' id='1'><body>x</body><x xmlns='jabber:x:conference' jid='r@c'/></message>");
        Assert.AreEqual("<message id='1'><body>x</body><x xmlns='jabber:x:conference' jid='r@c'/></message>", Serialize(parsed));
    }

    [TestMethod]
    public void ToUtf8_StreamNamespaceElements_UseTheHeadersStreamPrefix()
    {
        var features = new XElement(XName.Get("features", Ns.Streams),
            new XElement(XName.Get("starttls", Ns.Tls), new XElement(XName.Get("required", Ns.Tls))),
            new XElement(XName.Get("mechanisms", Ns.Sasl), new XElement(XName.Get("mechanism", Ns.Sasl), "PLAIN")));
        Assert.AreEqual(
            "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>" +
            "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>",
            Serialize(features));
    }

    [TestMethod]
    public void ToUtf8_NamespacedAttributes_XmlPrefixAndGeneratedPrefix()
    {
        var message = new XElement(Client + "message", new XAttribute(XNamespace.Xml + "lang", "en"),
            new XAttribute(XName.Get("stamp", "urn:x"), "1"));
        Assert.AreEqual("<message xmlns:ns1='urn:x' xml:lang='en' ns1:stamp='1'/>", Serialize(message));
    }

    [TestMethod]
    public void ToUtf8_DeclaredPrefix_Kept()
    {
        var parsed = XElement.Parse("<x:foo xmlns:x='urn:a' xmlns='jabber:client'><x:bar x:y='1'/><baz/></x:foo>");
        Assert.AreEqual("<x:foo xmlns:x='urn:a'><x:bar x:y='1'/><baz/></x:foo>", Serialize(parsed));
    }

    [TestMethod]
    public void ToUtf8_ElementInNoNamespace_UndeclaresTheDefault()
    {
        var iq = new XElement(Client + "iq", new XElement("plain"));
        Assert.AreEqual("<iq><plain xmlns=''/></iq>", Serialize(iq));
    }

    [TestMethod]
    public void ToUtf8_ServerContentNamespace_OmitsJabberServerInstead()
    {
        var message = new XElement(XName.Get("message", Ns.Server), new XElement(XName.Get("body", Ns.Server), "x"));
        Assert.AreEqual("<message><body>x</body></message>", Encoding.UTF8.GetString(StanzaSerializer.ToUtf8(message, Ns.Server)));
        Assert.AreEqual("<message xmlns='jabber:server'><body>x</body></message>", Serialize(message));
    }

    [TestMethod]
    public void ToUtf8_SpecialCharacters_Escaped()
    {
        var message = new XElement(Client + "message", new XAttribute("id", "a'b\"c<d>&e\tf\ng\rh"),
            new XElement(Client + "body", "1 < 2 & 3 > ]]> \"'\r\n"));
        Assert.AreEqual(
            "<message id='a&apos;b\"c&lt;d&gt;&amp;e&#x9;f&#xA;g&#xD;h'><body>1 &lt; 2 &amp; 3 &gt; ]]&gt; \"'&#xD;\n</body></message>",
            Serialize(message));
    }

    [TestMethod]
    public void ToUtf8_MixedContentCDataAndComments_TextKeptCommentsDropped()
    {
        var body = new XElement(Client + "body", "a", new XComment("secret"), new XCData("<b>"), new XElement(Client + "i", "c"), "d");
        Assert.AreEqual("<body>a&lt;b&gt;<i>c</i>d</body>", Serialize(body));
    }

    [TestMethod]
    [DataRow("\u0001", DisplayName = "control character")]
    [DataRow("\uFFFE", DisplayName = "noncharacter")]
    [DataRow("lone surrogate", DisplayName = "lone surrogate")]
    public void ToUtf8_TextXmlCannotCarry_Throws(string text)
    {
        if (text == "lone surrogate")
        {
            // Built here: attribute arguments are stored as UTF-8, which turns a lone surrogate into U+FFFD.
            text = "a" + (char)0xD800 + "b";
        }
        Assert.ThrowsException<ArgumentException>(() => StanzaSerializer.ToUtf8(new XElement(Client + "body", text)));
        Assert.ThrowsException<ArgumentException>(() => StanzaSerializer.ToUtf8(new XElement(Client + "body", new XAttribute("a", text))));
    }

    [TestMethod]
    public void WriteTo_LargeStanza_SameBytesAsToUtf8()
    {
        var text = string.Concat(Enumerable.Repeat("😀 <x> €", 5000));
        var message = new XElement(Client + "message", new XElement(Client + "body", text));
        var writer = new ArrayBufferWriter<byte>(16);
        StanzaSerializer.WriteTo(message, writer);
        CollectionAssert.AreEqual(StanzaSerializer.ToUtf8(message), writer.WrittenSpan.ToArray());
    }

    [TestMethod]
    public void ToUtf8_TranscriptStanzas_RoundTripThroughTheFramer()
    {
        var first = new FramerHarness();
        first.Feed(XmppStreamFramerTests.Transcript);
        var stanzas = first.Frames.Where(f => f.Kind == FrameKind.Stanza).Select(f => f.Element!).ToList();
        stanzas.Add(XElement.Parse(
            "<message xmlns='jabber:client' xml:lang='fr'><x:y xmlns:x='urn:q' x:a=\"'&#9;\" b='&#xA;'>&#13;\r\n<![CDATA[<&>]]></x:y>" +
            "<z xmlns='urn:z' xmlns:p='urn:p' p:c='1'><w xmlns=''/></z></message>", LoadOptions.PreserveWhitespace));

        var second = new FramerHarness();
        second.Feed(XmppStreamFramerTests.Header);
        foreach (var stanza in stanzas)
        {
            second.Feed(StanzaSerializer.ToUtf8(stanza));
        }

        var reparsed = second.Frames.Skip(1).Select(f => f.Element!).ToList();
        Assert.AreEqual(stanzas.Count, reparsed.Count);
        for (var i = 0; i < stanzas.Count; i++)
        {
            Assert.AreEqual(Infoset(stanzas[i]), Infoset(reparsed[i]));
        }
    }

    private static string Serialize(XElement element) => Encoding.UTF8.GetString(StanzaSerializer.ToUtf8(element));

    /// <summary>Names, non-declaration attributes and text (adjacent text and CDATA merged): what must survive, prefixes aside.</summary>
    private static string Infoset(XElement element)
    {
        var sb = new StringBuilder();
        Append(element, sb);
        return sb.ToString();

        static void Append(XElement e, StringBuilder sb)
        {
            sb.Append('<').Append(e.Name);
            foreach (var a in e.Attributes().Where(a => !a.IsNamespaceDeclaration))
            {
                sb.Append(' ').Append(a.Name).Append("=[").Append(a.Value).Append(']');
            }
            sb.Append('>');
            var text = new StringBuilder();
            foreach (var node in e.Nodes())
            {
                if (node is XElement child)
                {
                    Flush(text, sb);
                    Append(child, sb);
                }
                else if (node is XText t)
                {
                    text.Append(t.Value);
                }
            }
            Flush(text, sb);
            sb.Append("</>");
        }

        static void Flush(StringBuilder text, StringBuilder sb)
        {
            if (text.Length > 0)
            {
                sb.Append('[').Append(text).Append(']');
                text.Clear();
            }
        }
    }
}
