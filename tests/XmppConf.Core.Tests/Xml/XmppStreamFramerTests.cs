using Microsoft.VisualStudio.TestTools.UnitTesting;
using System.Buffers;
using System.Text;
using System.Xml.Linq;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;

namespace XmppConf.Core.Tests.Xml;

[TestClass]
public sealed class XmppStreamFramerTests
{
    internal const string Header =
        "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' " +
        "to='example.com' version='1.0' xml:lang='en'>";

    /// <summary>A client's side of a whole session, with the restarts after STARTTLS and SASL squeezed into one stream.</summary>
    internal const string Transcript =
        Header + "\n" +
        "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>" +
        "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGp1bGlldABwYXNz</auth> " +
        "<iq type='set' id='bind_1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>balcony</resource></bind></iq>\n" +
        "<message to='romeo@example.net' type='chat' id='m1' xml:lang='en'><body>Wherefore art thou? 20€ 😀 &lt;3 &amp; ça</body>" +
        "<thread>e0ffe42b28561960c6b12b944a092794b9683a38</thread></message>\t\r\n" +
        "<presence><show>away</show><status>Ἀθῆναι</status><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='v'/></presence>" +
        "   " +
        "</stream:stream>";

    private static readonly XNamespace Client = Ns.Client;
    private static readonly XNamespace Streams = Ns.Streams;

    [TestMethod]
    public void TryReadFrame_ClientTranscript_YieldsEveryUnitWithItsNamespaces()
    {
        var harness = new FramerHarness();
        harness.Feed(Transcript);

        var frames = harness.Frames;
        Assert.AreEqual(7, frames.Count);
        Assert.AreEqual(0, harness.Buffered);

        var header = frames[0];
        Assert.AreEqual(FrameKind.StreamOpen, header.Kind);
        Assert.AreEqual(Streams + "stream", header.Element!.Name);
        Assert.IsFalse(header.Element.HasElements);
        Assert.AreEqual("example.com", (string?)header.Element.Attribute("to"));
        Assert.AreEqual("1.0", (string?)header.Element.Attribute("version"));
        Assert.AreEqual("en", (string?)header.Element.Attribute(XNamespace.Xml + "lang"));
        Assert.AreEqual(Client, harness.Framer.ContentNamespace);

        Assert.AreEqual(XName.Get("starttls", Ns.Tls), frames[1].Element!.Name);
        Assert.AreEqual(XName.Get("auth", Ns.Sasl), frames[2].Element!.Name);
        Assert.AreEqual("AGp1bGlldABwYXNz", frames[2].Element!.Value);

        var iq = frames[3].Element!;
        Assert.AreEqual(Client + "iq", iq.Name);
        Assert.AreEqual("balcony", (string?)iq.Element(XName.Get("bind", Ns.Bind))?.Element(XName.Get("resource", Ns.Bind)));

        var message = frames[4].Element!;
        Assert.AreEqual(Client + "message", message.Name);
        Assert.AreEqual("Wherefore art thou? 20€ 😀 <3 & ça", (string?)message.Element(Client + "body"));
        Assert.AreEqual("en", (string?)message.Attribute(XNamespace.Xml + "lang"));
        Assert.AreEqual(Encoding.UTF8.GetByteCount(Transcript[Transcript.IndexOf("<message", StringComparison.Ordinal)..(Transcript.IndexOf("</message>", StringComparison.Ordinal) + 10)]),
            frames[4].ByteLength);

        var presence = frames[5].Element!;
        Assert.AreEqual("Ἀθῆναι", (string?)presence.Element(Client + "status"));
        Assert.IsNotNull(presence.Element(XName.Get("c", "http://jabber.org/protocol/caps")));

        Assert.AreEqual(FrameKind.StreamClose, frames[6].Kind);
        Assert.IsNull(frames[6].Element);
    }

    [TestMethod]
    public void TryReadFrame_TranscriptByteByByte_SameFramesAsWhole()
    {
        var input = Encoding.UTF8.GetBytes(Transcript);
        var whole = FramerHarness.RunWhole(input);
        Assert.IsNull(whole.Error);
        Assert.AreEqual(whole.ToString(), FramerHarness.RunByteByByte(input).ToString());
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(7)]
    [DataRow(42)]
    [DataRow(1234)]
    [DataRow(99991)]
    public void TryReadFrame_TranscriptRandomSplits_SameFramesAsWhole(int seed)
    {
        var input = Encoding.UTF8.GetBytes(Transcript);
        var whole = FramerHarness.RunWhole(input);
        Assert.AreEqual(whole.ToString(), FramerHarness.RunRandom(input, seed).ToString());
        Assert.AreEqual(whole.ToString(), FramerHarness.RunRandom(input, seed, maxRead: 200).ToString());
    }

    [TestMethod]
    public void TryReadFrame_MultiByteCharacterSplitAtEveryOffset_DecodesIt()
    {
        var stanza = Encoding.UTF8.GetBytes("<message><body>€😀</body></message>");
        var header = Encoding.UTF8.GetBytes(Header);
        for (var cut = 1; cut < stanza.Length; cut++)
        {
            var harness = new FramerHarness();
            harness.Feed(header);
            harness.Feed(stanza.AsSpan(0, cut));
            harness.Feed(stanza.AsSpan(cut));
            Assert.AreEqual("€😀", harness.Frames[^1].Element!.Value, $"cut at {cut}");
        }
    }

    [TestMethod]
    public void TryReadFrame_IncompleteStanza_LeavesItUnconsumedUntilTheRestArrives()
    {
        var harness = new FramerHarness();
        harness.Feed(Header);
        harness.Feed("  <message><body>hel");
        Assert.AreEqual(1, harness.Frames.Count);
        Assert.AreEqual("<message><body>hel".Length, harness.Buffered, "leading whitespace consumed, the partial stanza kept");

        harness.Feed("lo</body></message>");
        Assert.AreEqual(2, harness.Frames.Count);
        Assert.AreEqual("hello", harness.Frames[1].Element!.Value);
        Assert.AreEqual(0, harness.Buffered);
    }

    [TestMethod]
    public void TryReadFrame_WhitespaceKeepalives_ConsumedWithoutFrames()
    {
        var harness = new FramerHarness();
        harness.Feed(Header);
        harness.Feed(" ");
        harness.Feed("\r\n\t ");
        Assert.AreEqual(1, harness.Frames.Count);
        Assert.AreEqual(0, harness.Buffered);
        harness.Feed(" <presence/> ");
        Assert.AreEqual(2, harness.Frames.Count);
        Assert.AreEqual(0, harness.Buffered);
    }

    [TestMethod]
    public void TryReadFrame_StreamPrefixedChildren_ResolveThroughHeaderDeclarations()
    {
        var harness = new FramerHarness();
        harness.Feed("<s:stream xmlns:s='http://etherx.jabber.org/streams' xmlns='jabber:server' " +
                     "xmlns:db='jabber:server:dialback' version='1.0'>" +
                     "<s:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></s:features>" +
                     "<db:result from='a' to='b'>key</db:result><message/>" +
                     "<s:error><not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></s:error></s:stream>");

        var frames = harness.Frames;
        Assert.AreEqual(XNamespace.Get(Ns.Server), harness.Framer.ContentNamespace);
        var features = frames[1].Element!;
        Assert.AreEqual(Streams + "features", features.Name);
        Assert.AreEqual(XName.Get("required", Ns.Tls), features.Elements().Single().Elements().Single().Name);
        Assert.AreEqual(XName.Get("result", "jabber:server:dialback"), frames[2].Element!.Name);
        Assert.AreEqual(XName.Get("message", Ns.Server), frames[3].Element!.Name);
        Assert.AreEqual(Streams + "error", frames[4].Element!.Name);
        Assert.AreEqual(FrameKind.StreamClose, frames[5].Kind);
    }

    [TestMethod]
    public void TryReadFrame_ChildRedeclaresPrefixesAndDefault_ScopedToThatChild()
    {
        var harness = new FramerHarness();
        harness.Feed(Header + "<iq id='1' type='get'><x:query xmlns:x='urn:a' xmlns='urn:b'><item/><x:item x:a='1' a='2'/></x:query>" +
                     "<body/></iq>");
        var iq = harness.Frames[1].Element!;
        var query = iq.Elements().First();
        Assert.AreEqual(XName.Get("query", "urn:a"), query.Name);
        var items = query.Elements().ToList();
        Assert.AreEqual(XName.Get("item", "urn:b"), items[0].Name);
        Assert.AreEqual(XName.Get("item", "urn:a"), items[1].Name);
        Assert.AreEqual("1", (string?)items[1].Attribute(XName.Get("a", "urn:a")));
        Assert.AreEqual("2", (string?)items[1].Attribute("a"));
        Assert.AreEqual(Client + "body", iq.Elements().Last().Name, "scope of the child's declarations ended with it");
    }

    [TestMethod]
    public void TryReadFrame_ReferencesCDataAndLineEnds_DecodedPerXml()
    {
        var harness = new FramerHarness();
        harness.Feed(Header + "<message a='x&#9;y\tz\r\nw &quot;q&apos;'><body>a\r\nb\rc&#13;&#x1F600;&#65;" +
                     "<![CDATA[<not a tag> & ]] ]]>d]e&gt;</body></message>");
        var message = harness.Frames[1].Element!;
        Assert.AreEqual("x\ty z w \"q'", (string?)message.Attribute("a"));
        Assert.AreEqual("a\nb\nc\r😀A<not a tag> & ]] d]e>", message.Value);
    }

    [TestMethod]
    public void TryReadFrame_WhitespaceOnlyBody_Preserved()
    {
        var harness = new FramerHarness();
        harness.Feed(Header + "<message><body>  </body></message>");
        Assert.AreEqual("  ", harness.Frames[1].Element!.Value);
    }

    [TestMethod]
    public void TryReadFrame_EndTagWithWhitespaceAndEmptyAttribute_Accepted()
    {
        var harness = new FramerHarness();
        harness.Feed(Header + "<message id=''\n\ttype = \"chat\" ><body >x</body\n></message >");
        var message = harness.Frames[1].Element!;
        Assert.AreEqual(string.Empty, (string?)message.Attribute("id"));
        Assert.AreEqual("chat", (string?)message.Attribute("type"));
    }

    [TestMethod]
    public void TryReadFrame_SelfClosingHeader_OpensThenCloses()
    {
        var harness = new FramerHarness();
        harness.Feed("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'/>");
        CollectionAssert.AreEqual(new[] { FrameKind.StreamOpen, FrameKind.StreamClose }, harness.Frames.Select(f => f.Kind).ToArray());
    }

    [TestMethod]
    public void Reset_AfterStartTls_AcceptsNewHeaderWithDeclaration()
    {
        var harness = new FramerHarness();
        harness.Feed(Header + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        Assert.AreEqual(2, harness.Frames.Count);

        harness.Framer.Reset();
        harness.Feed(Header + "<presence/>");
        Assert.AreEqual(FrameKind.StreamOpen, harness.Frames[2].Kind);
        Assert.AreEqual(Client + "presence", harness.Frames[3].Element!.Name);
    }

    [TestMethod]
    public void Reset_WithNewHeaderAlreadyBuffered_ParsesItAfterTheSaslSuccess()
    {
        // The new header may arrive in the same read as the stanza that ends negotiation.
        var framer = new XmppStreamFramer(new FramerLimits());
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(Header + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>" + Header));
        Assert.IsTrue(framer.TryReadFrame(ref buffer, out _));
        Assert.IsTrue(framer.TryReadFrame(ref buffer, out var auth));
        Assert.AreEqual(XName.Get("auth", Ns.Sasl), auth.Element!.Name);

        framer.Reset();
        Assert.IsTrue(framer.TryReadFrame(ref buffer, out var reopened));
        Assert.AreEqual(FrameKind.StreamOpen, reopened.Kind);
        Assert.IsTrue(buffer.IsEmpty);
    }

    [TestMethod]
    public void Limits_RaisedMidStream_AppliesToLaterStanzas()
    {
        var harness = new FramerHarness(new FramerLimits(MaxStanzaBytes: 64));
        var big = "<message><body>" + new string('x', 100) + "</body></message>";
        harness.Feed(Header + "<presence/>");
        harness.Framer.Limits = harness.Framer.Limits with { MaxStanzaBytes = 1024 };
        harness.Feed(big);
        Assert.AreEqual(3, harness.Frames.Count);
    }

    [TestMethod]
    [DataRow(0, 64, 25000)]
    [DataRow(1024, 0, 25000)]
    [DataRow(1024, 64, -1)]
    public void Limits_NotPositive_Refused(int bytes, int depth, int elements)
    {
        var limits = new FramerLimits(bytes, depth, elements);
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => new XmppStreamFramer(limits));
        var framer = new XmppStreamFramer(new FramerLimits());
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => framer.Limits = limits);
    }

    [TestMethod]
    public void TryReadFrame_TenThousandStanzasInOneRead_AllFramed()
    {
        var sb = new StringBuilder(Header);
        for (var i = 0; i < 10_000; i++)
        {
            sb.Append("<message to='juliet@example.com' id='").Append(i).Append("' type='chat'><body>hello ").Append(i).Append("</body></message>");
        }
        var harness = new FramerHarness();
        harness.Feed(sb.ToString());
        Assert.AreEqual(10_001, harness.Frames.Count);
        Assert.AreEqual("hello 9999", harness.Frames[^1].Element!.Value);
        Assert.AreEqual("9999", (string?)harness.Frames[^1].Element!.Attribute("id"));
    }

    [TestMethod]
    public void TryReadFrame_ParsedElement_HasXLinqNamespaceDeclarationAttributes()
    {
        // Like XElement.Load: declarations stay as attributes, so prefixes survive re-serialisation.
        var harness = new FramerHarness();
        harness.Feed(Header + "<iq><query xmlns='jabber:iq:roster'/></iq>");
        var query = harness.Frames[1].Element!.Elements().Single();
        Assert.IsTrue(query.Attributes().Single().IsNamespaceDeclaration);
        Assert.AreEqual(XName.Get("query", Ns.Roster), query.Name);
    }

    [TestMethod]
    public void TryReadFrame_BufferShorterThanScannedBytes_Throws()
    {
        var framer = new XmppStreamFramer(new FramerLimits());
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(Header + "<message><body>"));
        Assert.IsTrue(framer.TryReadFrame(ref buffer, out _));
        Assert.IsFalse(framer.TryReadFrame(ref buffer, out _));
        var shorter = buffer.Slice(0, 3);
        Assert.ThrowsException<InvalidOperationException>(() => framer.TryReadFrame(ref shorter, out _));
    }

    [TestMethod]
    public void TryReadFrame_StreamClosedThenMoreMarkup_NotWellFormed()
    {
        var harness = new FramerHarness();
        harness.Feed(Header + "</stream:stream>  ");
        Assert.AreEqual(FrameKind.StreamClose, harness.Frames[^1].Kind);
        var ex = Assert.ThrowsException<XmppStreamException>(() => harness.Feed("<message/>"));
        Assert.AreEqual(StreamErrorCondition.NotWellFormed, ex.Condition);
    }
}
