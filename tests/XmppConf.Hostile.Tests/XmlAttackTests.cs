using System.Text;
using XmppConf.Hostile.Tests.Kit;
using XmppConf.Testing.Xmpp;

namespace XmppConf.Hostile.Tests;

/// <summary>
/// Markup meant to exhaust or trick the parser (RFC 6120 §11.1 restricted XML, §13.12 resource exhaustion),
/// before authentication and after binding. Each ends in the exact stream error, nothing relayed, bounded
/// memory, and a fresh client still served.
/// </summary>
[TestClass]
public sealed class XmlAttackTests
{
    // The classic: ten levels of ten references, 10^9 "lol"s (3 GB) if anything expanded them.
    private static readonly string BillionLaughsDtd = BuildBillionLaughs();

    private const string ExternalEntityDtd = "<!DOCTYPE stream [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>";

    private static ServerProcess _server = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _) =>
        _server = await Suite.StartServerAsync();

    [ClassCleanup]
    public static async Task StopAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    [TestMethod, Timeout(60_000)]
    public async Task BillionLaughs_BeforeStreamHeader_RestrictedXml()
    {
        var rss = RssWatch.Start(_server, "billion laughs pre-auth");
        await using (var attacker = await _server.ConnectAsync(Suite.Attacker(1)))
        {
            await attacker.SendRawAsync("<?xml version='1.0'?>" + BillionLaughsDtd + Suite.StreamHeader + "<message to='victim@localhost'><body>&lol9;</body></message>");
            await Suite.ExpectStreamErrorAsync(attacker, "restricted-xml");
        }
        await Suite.AssertServesAsync(_server);
        await rss.AssertBoundedAsync(TestContext);
    }

    [TestMethod, Timeout(60_000)]
    public async Task BillionLaughs_AfterBind_RestrictedXmlAndNothingRelayed()
    {
        var rss = RssWatch.Start(_server, "billion laughs post-auth");
        await using var victim = await _server.LoginAsync("victim", Suite.Password, "laughs");
        await using (var attacker = await _server.LoginAsync("mallory", Suite.Password, "laughs", Suite.Attacker(2)))
        {
            await attacker.SendRawAsync(BillionLaughsDtd + "<message to='victim@localhost/laughs'><body>&lol9;</body></message>");
            await Suite.ExpectStreamErrorAsync(attacker, "restricted-xml");
        }
        await victim.ExpectNothingAsync(TimeSpan.FromMilliseconds(300), e => Suite.IsMessageFrom(e));
        await Suite.AssertServesAsync(_server);
        await rss.AssertBoundedAsync(TestContext);
    }

    /// <summary>The stream restart after SASL (RFC 6120 §6.4.6) is a prolog again: a DTD there is refused too.</summary>
    [TestMethod, Timeout(60_000)]
    public async Task BillionLaughs_InStreamRestartAfterSasl_RestrictedXml()
    {
        await using var attacker = await _server.ConnectAsync(Suite.Attacker(3));
        await attacker.OpenStreamAsync();
        await attacker.StartTlsAsync();
        await attacker.SendRawAsync("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
            + Convert.ToBase64String(Encoding.UTF8.GetBytes("\0mallory\0" + Suite.Password)) + "</auth>");
        var success = await attacker.ReceiveAsync(e => e.Name.LocalName is "success" or "failure");
        Assert.AreEqual("success", success.Name.LocalName, attacker.DescribeState());
        // The server answers in a fresh stream: its new header, then the error (RFC 6120 §4.9.1.1).
        var error = await Assert.ThrowsExceptionAsync<StreamErrorException>(() => attacker.OpenStreamAsync(prolog: BillionLaughsDtd));
        Assert.AreEqual("restricted-xml", error.Condition, attacker.DescribeState());
        await attacker.WaitClosedAsync(TimeSpan.FromSeconds(10));
        await Suite.AssertServesAsync(_server);
    }

    /// <summary>An entity reference with no DTD at all: only the five predefined entities exist in XMPP.</summary>
    [TestMethod, Timeout(60_000)]
    public async Task UndeclaredEntityReference_AfterBind_RestrictedXml()
    {
        await using var attacker = await _server.LoginAsync("mallory", Suite.Password, "entity", Suite.Attacker(4));
        await attacker.SendRawAsync("<message to='victim@localhost'><body>&lol9;</body></message>");
        await Suite.ExpectStreamErrorAsync(attacker, "restricted-xml");
        await Suite.AssertServesAsync(_server);
    }

    [TestMethod, Timeout(60_000)]
    public async Task ExternalEntity_BeforeStreamHeader_RestrictedXml()
    {
        await using (var attacker = await _server.ConnectAsync(Suite.Attacker(5)))
        {
            await attacker.SendRawAsync("<?xml version='1.0'?>" + ExternalEntityDtd + Suite.StreamHeader + "<message to='victim@localhost'><body>&xxe;</body></message>");
            await Suite.ExpectStreamErrorAsync(attacker, "restricted-xml");
            Assert.IsFalse(attacker.Transcript.Any(l => l.StartsWith("S:", StringComparison.Ordinal) && l.Contains("root:", StringComparison.Ordinal)), "file contents leaked");
        }
        await Suite.AssertServesAsync(_server);
    }

    [TestMethod, Timeout(60_000)]
    public async Task ExternalEntity_AfterBind_RestrictedXmlAndNothingRelayed()
    {
        await using var victim = await _server.LoginAsync("victim", Suite.Password, "xxe");
        await using (var attacker = await _server.LoginAsync("mallory", Suite.Password, "xxe", Suite.Attacker(6)))
        {
            await attacker.SendRawAsync(ExternalEntityDtd + "<message to='victim@localhost/xxe'><body>&xxe;</body></message>");
            await Suite.ExpectStreamErrorAsync(attacker, "restricted-xml");
        }
        await victim.ExpectNothingAsync(TimeSpan.FromMilliseconds(300), e => Suite.IsMessageFrom(e));
        await Suite.AssertServesAsync(_server);
    }

    /// <summary>10 MB in one stanza before authentication: refused once it passes 10,000 bytes, never buffered whole.</summary>
    [TestMethod, Timeout(60_000)]
    public async Task TenMegabyteStanza_BeforeAuth_PolicyViolation()
    {
        var rss = RssWatch.Start(_server, "10 MB stanza pre-auth");
        await using (var attacker = await Suite.OpenUnauthenticatedAsync(_server, 7))
        {
            var chunks = new[] { Encoding.UTF8.GetBytes("<message><body>") }.Concat(Suite.Repeat((byte)'x', 10L << 20));
            var sent = await Suite.SendUntilClosedAsync(attacker, chunks);
            TestContext.WriteLine($"sent {sent} bytes before the server hung up");
            await Suite.ExpectStreamErrorAsync(attacker, "policy-violation");
        }
        await Suite.AssertServesAsync(_server);
        await rss.AssertBoundedAsync(TestContext);
    }

    /// <summary>10 MB in one stanza once bound: over the 256 KiB limit, refused before parsing; nothing reaches the victim.</summary>
    [TestMethod, Timeout(60_000)]
    public async Task TenMegabyteStanza_AfterBind_PolicyViolationAndNothingRelayed()
    {
        var rss = RssWatch.Start(_server, "10 MB stanza post-auth");
        await using var victim = await _server.LoginAsync("victim", Suite.Password, "big");
        await using (var attacker = await _server.LoginAsync("mallory", Suite.Password, "big", Suite.Attacker(8)))
        {
            var chunks = new[] { Encoding.UTF8.GetBytes("<message to='victim@localhost/big'><body>") }.Concat(Suite.Repeat((byte)'x', 10L << 20));
            await Suite.SendUntilClosedAsync(attacker, chunks);
            await Suite.ExpectStreamErrorAsync(attacker, "policy-violation");
        }
        await victim.ExpectNothingAsync(TimeSpan.FromMilliseconds(300), e => Suite.IsMessageFrom(e));
        await Suite.AssertServesAsync(_server);
        await rss.AssertBoundedAsync(TestContext);
    }

    [TestMethod, Timeout(60_000)]
    public async Task HundredThousandDeepNesting_BeforeAuth_PolicyViolation()
    {
        var rss = RssWatch.Start(_server, "100k-deep nesting pre-auth");
        await using (var attacker = await Suite.OpenUnauthenticatedAsync(_server, 9))
        {
            await Suite.SendUntilClosedAsync(attacker, Suite.Repeat("<a>", 100_000));
            await Suite.ExpectStreamErrorAsync(attacker, "policy-violation");
        }
        await Suite.AssertServesAsync(_server);
        await rss.AssertBoundedAsync(TestContext);
    }

    [TestMethod, Timeout(60_000)]
    public async Task HundredThousandDeepNesting_AfterBind_PolicyViolation()
    {
        var rss = RssWatch.Start(_server, "100k-deep nesting post-auth");
        await using (var attacker = await _server.LoginAsync("mallory", Suite.Password, "deep", Suite.Attacker(10)))
        {
            var chunks = new[] { Encoding.UTF8.GetBytes("<message to='victim@localhost'>") }.Concat(Suite.Repeat("<x>", 100_000));
            await Suite.SendUntilClosedAsync(attacker, chunks);
            await Suite.ExpectStreamErrorAsync(attacker, "policy-violation");
        }
        await Suite.AssertServesAsync(_server);
        await rss.AssertBoundedAsync(TestContext);
    }

    /// <summary>A flat stanza under the byte limit with more than 25,000 elements (the element-count bound).</summary>
    [TestMethod, Timeout(60_000)]
    public async Task ThirtyThousandSiblings_AfterBind_PolicyViolation()
    {
        await using (var attacker = await _server.LoginAsync("mallory", Suite.Password, "wide", Suite.Attacker(11)))
        {
            await attacker.SendRawAsync("<message to='victim@localhost'>" + string.Concat(Enumerable.Repeat("<b/>", 30_000)) + "</message>");
            await Suite.ExpectStreamErrorAsync(attacker, "policy-violation");
        }
        await Suite.AssertServesAsync(_server);
    }

    /// <summary>Random bytes instead of a stream header: XML 1.0 wants '&lt;' first, so the stream is not well-formed.</summary>
    [TestMethod, Timeout(60_000)]
    public async Task GarbageBytes_BeforeStreamHeader_NotWellFormed()
    {
        var garbage = new byte[64 * 1024];
        new Random(5).NextBytes(garbage);
        garbage[0] = 0x17;
        await using (var attacker = await _server.ConnectAsync(Suite.Attacker(12)))
        {
            await Suite.SendUntilClosedAsync(attacker, [garbage]);
            await Suite.ExpectStreamErrorAsync(attacker, "not-well-formed");
        }
        await Suite.AssertServesAsync(_server);
    }

    /// <summary>Random bytes at stream level after the header: RFC 6120 §4.9.3.1 bad-format (text where only elements may be).</summary>
    [TestMethod, Timeout(60_000)]
    public async Task GarbageBytes_AfterBind_BadFormat()
    {
        var rss = RssWatch.Start(_server, "garbage post-auth");
        var garbage = new byte[1 << 20];
        new Random(6).NextBytes(garbage);
        garbage[0] = (byte)'Z';
        await using (var attacker = await _server.LoginAsync("mallory", Suite.Password, "garbage", Suite.Attacker(13)))
        {
            await Suite.SendUntilClosedAsync(attacker, garbage.Chunk(65536));
            await Suite.ExpectStreamErrorAsync(attacker, "bad-format");
        }
        await Suite.AssertServesAsync(_server);
        await rss.AssertBoundedAsync(TestContext);
    }

    /// <summary>
    /// RFC 6120 §11.6 / RFC 3629: invalid UTF-8 anywhere (text or attribute) is an improperly encoded stream,
    /// &lt;unsupported-encoding/&gt; (§4.9.3.22), and the message is never relayed.
    /// </summary>
    [DataTestMethod, Timeout(60_000)]
    [DataRow("C0AF", DisplayName = "overlong 2-byte '/'")]
    [DataRow("E080AF", DisplayName = "overlong 3-byte '/'")]
    [DataRow("F08282AC", DisplayName = "overlong 4-byte '€'")]
    [DataRow("EDA080", DisplayName = "UTF-8 encoded high surrogate")]
    [DataRow("EDBFBF", DisplayName = "UTF-8 encoded low surrogate")]
    [DataRow("80", DisplayName = "lone continuation byte")]
    [DataRow("E282", DisplayName = "truncated sequence")]
    [DataRow("F4908080", DisplayName = "beyond U+10FFFF")]
    [DataRow("FF", DisplayName = "0xFF")]
    public async Task InvalidUtf8_InMessageBody_UnsupportedEncodingAndNothingRelayed(string hex)
    {
        var resource = "utf8-" + hex;
        await using var victim = await _server.LoginAsync("victim", Suite.Password, resource);
        await using (var attacker = await _server.LoginAsync("mallory", Suite.Password, resource, Suite.Attacker(14)))
        {
            var bytes = Encoding.UTF8.GetBytes($"<message to='victim@localhost/{resource}'><body>a")
                .Concat(Convert.FromHexString(hex)).Concat(Encoding.UTF8.GetBytes("b</body></message>")).ToArray();
            await attacker.SendRawAsync(bytes);
            await Suite.ExpectStreamErrorAsync(attacker, "unsupported-encoding");
        }
        await victim.ExpectNothingAsync(TimeSpan.FromMilliseconds(300), e => Suite.IsMessageFrom(e));
        await Suite.AssertServesAsync(_server);
    }

    [DataTestMethod, Timeout(60_000)]
    [DataRow("C0AF", DisplayName = "overlong in the header's 'to'")]
    [DataRow("EDA080", DisplayName = "surrogate in the header's 'to'")]
    [DataRow("80", DisplayName = "lone continuation in the header's 'to'")]
    public async Task InvalidUtf8_InStreamHeader_UnsupportedEncoding(string hex)
    {
        await using (var attacker = await _server.ConnectAsync(Suite.Attacker(15)))
        {
            var bytes = Encoding.UTF8.GetBytes("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0' to='local")
                .Concat(Convert.FromHexString(hex)).Concat(Encoding.UTF8.GetBytes("host'>")).ToArray();
            await attacker.SendRawAsync(bytes);
            await Suite.ExpectStreamErrorAsync(attacker, "unsupported-encoding");
        }
        await Suite.AssertServesAsync(_server);
    }

    private static string BuildBillionLaughs()
    {
        var dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol 'lol'>");
        for (var level = 1; level <= 9; level++)
        {
            var previous = level == 1 ? "lol" : "lol" + (level - 1);
            dtd.Append("<!ENTITY lol").Append(level).Append(" '").Append(string.Concat(Enumerable.Repeat($"&{previous};", 10))).Append("'>");
        }
        return dtd.Append("]>").ToString();
    }
}
