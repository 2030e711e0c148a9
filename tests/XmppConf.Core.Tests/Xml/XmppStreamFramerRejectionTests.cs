using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;

namespace XmppConf.Core.Tests.Xml;

/// <summary>Input the framer must refuse, and with which stream error (RFC 6120 §4.9.3, §11).</summary>
[TestClass]
public sealed class XmppStreamFramerRejectionTests
{
    private const string Header = XmppStreamFramerTests.Header;

    [TestMethod]
    [DataRow("<?xml version='1.0'?><!DOCTYPE stream><stream:stream>", DisplayName = "DOCTYPE before the header")]
    [DataRow("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;'>]><stream:stream>&lol2;",
        DisplayName = "billion laughs")]
    [DataRow("<!DOCTYPE foo [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>", DisplayName = "external entity")]
    [DataRow("<!-- hello --><stream:stream>", DisplayName = "comment before the header")]
    [DataRow("<?xml-stylesheet href='a'?>", DisplayName = "PI before the header")]
    [DataRow("<?xml version='1.0'?><?xml version='1.0'?>", DisplayName = "second XML declaration")]
    [DataRow(Header + "<!-- comment -->", DisplayName = "comment between stanzas")]
    [DataRow(Header + "<message><!-- comment --></message>", DisplayName = "comment in a stanza")]
    [DataRow(Header + "<?php echo 1; ?>", DisplayName = "PI between stanzas")]
    [DataRow(Header + "<message><?pi x?></message>", DisplayName = "PI in a stanza")]
    [DataRow(Header + "<?xml version='1.0'?>", DisplayName = "XML declaration after the header")]
    [DataRow(Header + "<message><!DOCTYPE x></message>", DisplayName = "DOCTYPE in a stanza")]
    [DataRow(Header + "<message><!ENTITY x 'y'></message>", DisplayName = "ENTITY in a stanza")]
    [DataRow(Header + "<message><body>&xxe;</body></message>", DisplayName = "undefined entity in text")]
    [DataRow(Header + "<message to='&nbsp;'/>", DisplayName = "undefined entity in an attribute")]
    public void TryReadFrame_RestrictedMarkup_RestrictedXml(string input) =>
        AssertFails(input, StreamErrorCondition.RestrictedXml);

    [TestMethod]
    [DataRow("<message><body>x</message></stream:stream>", DisplayName = "mismatched end tag")]
    [DataRow("<message><body>x</bod></message>", DisplayName = "end tag prefix of start tag")]
    [DataRow("<message><body>x</bodyy></message>", DisplayName = "end tag longer than start tag")]
    [DataRow("<message to=x/>", DisplayName = "unquoted attribute")]
    [DataRow("<message to='a<b'/>", DisplayName = "'<' in attribute value")]
    [DataRow("<message to='a' to='b'/>", DisplayName = "duplicate attribute")]
    [DataRow("<message xmlns:a='urn:x' xmlns:b='urn:x' a:t='1' b:t='2'/>", DisplayName = "duplicate expanded attribute name")]
    [DataRow("<message to='a'type='b'/>", DisplayName = "no space between attributes")]
    [DataRow("<message to/>", DisplayName = "attribute without value")]
    [DataRow("<message to='a/><presence/>'/>", DisplayName = "tag inside an unterminated attribute")]
    [DataRow("<1message/>", DisplayName = "name starting with a digit")]
    [DataRow("<:message/>", DisplayName = "name starting with a colon")]
    [DataRow("<a:b:c xmlns:a='urn:x'/>", DisplayName = "two colons in a name")]
    [DataRow("<message a:='1'/>", DisplayName = "empty local name")]
    [DataRow("< message/>", DisplayName = "space after '<'")]
    [DataRow("<message/ >", DisplayName = "space inside '/>'")]
    [DataRow("<message><body>a\u0001b</body></message>", DisplayName = "control character in text")]
    [DataRow("<message to='\u0000'/>", DisplayName = "NUL in attribute")]
    [DataRow("<message><body>&#1;</body></message>", DisplayName = "reference to a control character")]
    [DataRow("<message><body>&#0;</body></message>", DisplayName = "reference to NUL")]
    [DataRow("<message><body>&#xD800;</body></message>", DisplayName = "reference to a surrogate")]
    [DataRow("<message><body>&#x110000;</body></message>", DisplayName = "reference beyond Unicode")]
    [DataRow("<message><body>&#99999999999999999999;</body></message>", DisplayName = "overflowing reference")]
    [DataRow("<message><body>&#xZZ;</body></message>", DisplayName = "bad hex reference")]
    [DataRow("<message><body>&#X41;</body></message>", DisplayName = "uppercase X reference")]
    [DataRow("<message><body>&#;</body></message>", DisplayName = "empty numeric reference")]
    [DataRow("<message><body>a & b</body></message>", DisplayName = "bare ampersand")]
    [DataRow("<message><body>&amp</body></message>", DisplayName = "reference without semicolon")]
    [DataRow("<message><body>a ]]> b</body></message>", DisplayName = "']]>' in text")]
    [DataRow("<message xmlns:p=''/>", DisplayName = "undeclaring a prefix")]
    [DataRow("<message xmlns:xml='urn:x'/>", DisplayName = "rebinding xml")]
    [DataRow("<message xmlns:p='http://www.w3.org/XML/1998/namespace'/>", DisplayName = "binding the XML namespace")]
    [DataRow("<message xmlns:xmlns='urn:x'/>", DisplayName = "declaring xmlns")]
    [DataRow("<message xmlns='http://www.w3.org/2000/xmlns/'/>", DisplayName = "xmlns namespace as default")]
    [DataRow("<xmlns:message/>", DisplayName = "xmlns prefix on an element")]
    [DataRow("<message></message extra='1'>", DisplayName = "attribute in end tag")]
    [DataRow("<message><![CDATX[x]]></message>", DisplayName = "malformed CDATA opener")]
    [DataRow("</message>", DisplayName = "stray end tag")]
    [DataRow("<message><ẞ/></message>", DisplayName = "name XLinq cannot represent")]
    [DataRow("</stream:streamx>", DisplayName = "wrong stream end tag")]
    [DataRow("</s:stream>", DisplayName = "stream end tag with another prefix")]
    public void TryReadFrame_NotWellFormedStanza_NotWellFormed(string stanza) =>
        AssertFails(Header + stanza, StreamErrorCondition.NotWellFormed);

    [TestMethod]
    [DataRow("<message><x:body/></message>", DisplayName = "unbound element prefix")]
    [DataRow("<message x:to='a'/>", DisplayName = "unbound attribute prefix")]
    [DataRow("<x:message xmlns:y='urn:y'/>", DisplayName = "unbound prefix on the stanza")]
    public void TryReadFrame_UnboundPrefix_BadNamespacePrefix(string stanza) =>
        AssertFails(Header + stanza, StreamErrorCondition.BadNamespacePrefix);

    [TestMethod]
    [DataRow("<stream:stream xmlns='jabber:client' xmlns:stream='urn:other'>", StreamErrorCondition.InvalidNamespace, DisplayName = "stream prefix bound elsewhere")]
    [DataRow("<stream:features xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>", StreamErrorCondition.InvalidNamespace, DisplayName = "root not named stream")]
    [DataRow("<message xmlns='jabber:client'>", StreamErrorCondition.InvalidNamespace, DisplayName = "stanza as root")]
    [DataRow("<stream:stream xmlns='urn:other' xmlns:stream='http://etherx.jabber.org/streams'>", StreamErrorCondition.InvalidNamespace, DisplayName = "unsupported content namespace")]
    [DataRow("<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>", StreamErrorCondition.InvalidNamespace, DisplayName = "no content namespace")]
    [DataRow("<stream:stream xmlns='jabber:client'>", StreamErrorCondition.BadNamespacePrefix, DisplayName = "unbound stream prefix")]
    [DataRow("<stream xmlns='http://etherx.jabber.org/streams'>", StreamErrorCondition.BadNamespacePrefix, DisplayName = "stream namespace as default")]
    [DataRow("</stream:stream>", StreamErrorCondition.NotWellFormed, DisplayName = "end tag first")]
    [DataRow("hello", StreamErrorCondition.NotWellFormed, DisplayName = "text before the header")]
    [DataRow("\uFEFF<stream:stream>", StreamErrorCondition.NotWellFormed, DisplayName = "byte order mark")]
    [DataRow("<![CDATA[x]]>", StreamErrorCondition.NotWellFormed, DisplayName = "CDATA before the header")]
    [DataRow("<?xml version='1.0' encoding='ISO-8859-1'?>", StreamErrorCondition.UnsupportedEncoding, DisplayName = "other encoding declared")]
    [DataRow("<?xml version='2.0'?>", StreamErrorCondition.NotWellFormed, DisplayName = "bad version")]
    [DataRow("<?xml?>", StreamErrorCondition.NotWellFormed, DisplayName = "declaration without version")]
    [DataRow("<?xml version='1.0' standalone='maybe'?>", StreamErrorCondition.NotWellFormed, DisplayName = "bad standalone")]
    [DataRow("<?xml version='1.0' junk='1'?>", StreamErrorCondition.NotWellFormed, DisplayName = "unknown pseudo-attribute")]
    public void TryReadFrame_BadStreamHeader_MatchingCondition(string input, StreamErrorCondition expected) =>
        AssertFails(input, expected);

    [TestMethod]
    [DataRow("<?xml version='1.0' encoding='utf-8' standalone='no' ?>", DisplayName = "full declaration")]
    [DataRow("\n <?xml version=\"1.0\"?>", DisplayName = "whitespace before the declaration")]
    [DataRow("", DisplayName = "no declaration")]
    public void TryReadFrame_AcceptableProlog_OpensStream(string prolog)
    {
        var harness = new FramerHarness();
        harness.Feed(prolog + "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>");
        Assert.AreEqual(FrameKind.StreamOpen, harness.Frames.Single().Kind);
    }

    [TestMethod]
    [DataRow("hello", DisplayName = "text")]
    [DataRow("&#32;", DisplayName = "reference")]
    [DataRow("<![CDATA[ ]]>", DisplayName = "CDATA")]
    public void TryReadFrame_CharacterDataAtStreamLevel_BadFormat(string data) =>
        AssertFails(Header + "<presence/>" + data, StreamErrorCondition.BadFormat);

    [TestMethod]
    [DataRow(new byte[] { 0xC0, 0xAF }, DisplayName = "overlong encoding")]
    [DataRow(new byte[] { 0x80 }, DisplayName = "lone continuation byte")]
    [DataRow(new byte[] { 0xED, 0xA0, 0x80 }, DisplayName = "encoded surrogate")]
    [DataRow(new byte[] { 0xE2, 0x82 }, DisplayName = "truncated sequence")]
    [DataRow(new byte[] { 0xF5, 0x80, 0x80, 0x80 }, DisplayName = "beyond U+10FFFF")]
    [DataRow(new byte[] { 0xFF }, DisplayName = "0xFF")]
    public void TryReadFrame_InvalidUtf8_UnsupportedEncoding(byte[] bad)
    {
        foreach (var (before, after) in new[]
                 {
                     ("<message><body>a", "b</body></message>"),
                     ("<message to='a", "'/>"),
                     ("<message><b", "ody/></message>"),
                     ("<message><body><![CDATA[", "]]></body></message>"),
                 })
        {
            var input = Encoding.UTF8.GetBytes(Header + before).Concat(bad).Concat(Encoding.UTF8.GetBytes(after)).ToArray();
            var outcome = FramerHarness.RunWhole(input);
            Assert.AreEqual(StreamErrorCondition.UnsupportedEncoding, outcome.Error, before);
            Assert.AreEqual(outcome.ToString(), FramerHarness.RunByteByByte(input).ToString(), before);
        }
    }

    [TestMethod]
    public void TryReadFrame_StanzaOverLimitFedInChunks_PolicyViolationBeforeMoreThanLimitIsBuffered()
    {
        const int limit = 1024;
        const int chunk = 100;
        var harness = new FramerHarness(new FramerLimits(MaxStanzaBytes: limit));
        harness.Feed(Header);
        var headerBytes = harness.Fed;
        var filler = Encoding.UTF8.GetBytes(new string('x', chunk));

        harness.Feed("<message><body>");
        var ex = Assert.ThrowsException<XmppStreamException>(() =>
        {
            // A 10 MB body that never needs to arrive in full.
            for (var i = 0; i < 100_000; i++)
            {
                harness.Feed(filler);
            }
        });

        Assert.AreEqual(StreamErrorCondition.PolicyViolation, ex.Condition);
        Assert.IsTrue(harness.Fed - headerBytes <= limit + chunk, $"fed {harness.Fed - headerBytes} stanza bytes");
        Assert.IsTrue(harness.MaxBuffered <= limit + chunk, $"buffered {harness.MaxBuffered}");
    }

    [TestMethod]
    public void TryReadFrame_StanzaOverLimitByteByByte_FailsOnTheFirstByteOverTheLimit()
    {
        const int limit = 300;
        var stanza = "<message><body>" + new string('y', 1000) + "</body></message>";
        var harness = new FramerHarness(new FramerLimits(MaxStanzaBytes: limit));
        harness.Feed(Header);
        var fed = 0;
        var ex = Assert.ThrowsException<XmppStreamException>(() =>
        {
            foreach (var b in Encoding.UTF8.GetBytes(stanza))
            {
                fed++;
                harness.Feed([b]);
            }
        });
        Assert.AreEqual(StreamErrorCondition.PolicyViolation, ex.Condition);
        Assert.AreEqual(limit + 1, fed);
    }

    [TestMethod]
    [DataRow(0, true)]
    [DataRow(1, false)]
    public void TryReadFrame_StanzaAtTheLimit_AcceptedAndOneByteMoreRefused(int extra, bool accepted)
    {
        var stanza = "<message><body>" + new string('z', 100 + extra) + "</body></message>";
        var limit = Encoding.UTF8.GetByteCount(stanza) - extra;
        var outcome = FramerHarness.RunWhole(Encoding.UTF8.GetBytes(Header + stanza), new FramerLimits(MaxStanzaBytes: limit));
        Assert.AreEqual(accepted ? null : StreamErrorCondition.PolicyViolation, outcome.Error);
    }

    [TestMethod]
    public void TryReadFrame_OversizedHeader_PolicyViolation()
    {
        var header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='" +
                     new string('a', XmppStreamFramer.MaxStreamHeaderBytes) + "'>";
        AssertFails(header, StreamErrorCondition.PolicyViolation);
    }

    [TestMethod]
    public void TryReadFrame_HundredThousandDeep_PolicyViolationAtDepthSixtyFive()
    {
        var harness = new FramerHarness(new FramerLimits(MaxDepth: 64));
        harness.Feed(Header);
        var headerBytes = harness.Fed;
        var ex = Assert.ThrowsException<XmppStreamException>(() =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                harness.Feed("<a>");
            }
        });
        Assert.AreEqual(StreamErrorCondition.PolicyViolation, ex.Condition);
        Assert.AreEqual(65 * 3, harness.Fed - headerBytes);
    }

    [TestMethod]
    [DataRow(64, true)]
    [DataRow(65, false)]
    public void TryReadFrame_NestingAroundMaxDepth_OnlyDeeperRefused(int depth, bool accepted)
    {
        var stanza = string.Concat(Enumerable.Repeat("<a>", depth)) + string.Concat(Enumerable.Repeat("</a>", depth));
        var outcome = FramerHarness.RunWhole(Encoding.UTF8.GetBytes(Header + stanza), new FramerLimits(MaxDepth: 64));
        Assert.AreEqual(accepted ? null : StreamErrorCondition.PolicyViolation, outcome.Error);
    }

    [TestMethod]
    [DataRow(10, true)]
    [DataRow(11, false)]
    public void TryReadFrame_ElementsAroundMaxElements_OnlyMoreRefused(int elements, bool accepted)
    {
        var stanza = "<iq>" + string.Concat(Enumerable.Repeat("<x/>", elements - 1)) + "</iq>";
        var outcome = FramerHarness.RunWhole(Encoding.UTF8.GetBytes(Header + stanza), new FramerLimits(MaxElements: 10));
        Assert.AreEqual(accepted ? null : StreamErrorCondition.PolicyViolation, outcome.Error);
    }

    [TestMethod]
    public void TryReadFrame_TooManyAttributes_PolicyViolation()
    {
        var attributes = string.Concat(Enumerable.Range(0, XmppStreamFramer.MaxAttributesPerElement + 1).Select(i => $" a{i}=''"));
        AssertFails(Header + "<message" + attributes + "/>", StreamErrorCondition.PolicyViolation);
    }

    [TestMethod]
    public void TryReadFrame_AfterFailure_EveryCallThrowsTheSameCondition()
    {
        var harness = new FramerHarness();
        harness.Feed(Header);
        Assert.ThrowsException<XmppStreamException>(() => harness.Feed("<!-- x -->"));
        var again = Assert.ThrowsException<XmppStreamException>(() => harness.Feed("<presence/>"));
        Assert.AreEqual(StreamErrorCondition.RestrictedXml, again.Condition);
    }

    /// <summary>Asserts the failure, and that byte-by-byte delivery fails the same way after the same frames.</summary>
    private static void AssertFails(string input, StreamErrorCondition expected)
    {
        var bytes = Encoding.UTF8.GetBytes(input);
        var whole = FramerHarness.RunWhole(bytes);
        Assert.AreEqual(expected, whole.Error, whole.ToString());
        Assert.AreEqual(whole.ToString(), FramerHarness.RunByteByByte(bytes).ToString());
    }
}
