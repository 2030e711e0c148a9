using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Testing;
using XmppConf.Testing.Xmpp;
using XmppConf.Testing.Python;

namespace XmppConf.Scenarios.Tests.Streams;

/// <summary>RFC 6120 stream negotiation against a real server over loopback sockets.</summary>
[TestClass]
public sealed class StreamNegotiationTests
{
    private static readonly XNamespace StreamNs = "http://etherx.jabber.org/streams";
    private static readonly XNamespace Tls = "urn:ietf:params:xml:ns:xmpp-tls";
    private static readonly XNamespace Sasl = "urn:ietf:params:xml:ns:xmpp-sasl";
    private static readonly XNamespace Bind = "urn:ietf:params:xml:ns:xmpp-bind";
    private static LoopbackServer _server = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _)
    {
        _server = await LoopbackServer.StartAsync();
        await _server.AddUserAsync("alice", "wonderland");
    }

    [ClassCleanup]
    public static async Task StopAsync() => await _server.DisposeAsync();

    [TestMethod, Timeout(20_000)]
    public async Task Features_BeforeTls_OfferOnlyRequiredStartTls()
    {
        await using var client = await TestXmppClient.ConnectAsync(_server.Host, _server.C2sPort, _server.Domain);
        var features = await client.OpenStreamAsync();
        var starttls = features.Element(Tls + "starttls");
        Assert.IsNotNull(starttls, features.ToString());
        Assert.IsNotNull(starttls.Element(Tls + "required"));
        Assert.IsNull(features.Element(Sasl + "mechanisms"), "mechanisms must wait for TLS when TLS is required");
    }

    [TestMethod, Timeout(20_000)]
    public async Task Features_AfterTls_OfferScramAndPlain()
    {
        await using var client = await TestXmppClient.ConnectAsync(_server.Host, _server.C2sPort, _server.Domain);
        await client.OpenStreamAsync();
        var features = await client.StartTlsAsync();
        var mechanisms = features.Element(Sasl + "mechanisms")!.Elements(Sasl + "mechanism").Select(m => m.Value).ToList();
        CollectionAssert.AreEqual(new[] { "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN" }, mechanisms);
        Assert.IsNotNull(features.Element(XName.Get("limits", "urn:xmpp:stream-limits:0")), "XEP-0478 limits advertised");
    }

    [TestMethod, Timeout(20_000)]
    public async Task Features_Xep0478Limits_AdvertiseTheLimitInForceBeforeAndAfterLogin()
    {
        await using var server = await LoopbackServer.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:MaxStanzaBytesUnauthenticated"] = "7000",
            ["Limits:MaxStanzaBytes"] = "123456",
            ["Limits:IdleTimeoutSeconds"] = "240",
        });
        await server.AddUserAsync("alice", "wonderland");
        XNamespace limits = "urn:xmpp:stream-limits:0";
        await using var client = await TestXmppClient.ConnectAsync(server.Host, server.C2sPort, server.Domain);
        await client.OpenStreamAsync();
        var beforeLogin = (await client.StartTlsAsync()).Element(limits + "limits");
        Assert.AreEqual("7000", beforeLogin?.Element(limits + "max-bytes")?.Value, "the unauthenticated limit: " + beforeLogin);

        var afterLogin = (await client.AuthenticateAsync("alice", "wonderland")).Element(limits + "limits");
        Assert.AreEqual("123456", afterLogin?.Element(limits + "max-bytes")?.Value, "the authenticated limit: " + afterLogin);
        Assert.AreEqual("240", afterLogin?.Element(limits + "idle-seconds")?.Value);
    }

    [DataTestMethod, Timeout(20_000)]
    [DataRow("SCRAM-SHA-256")]
    [DataRow("SCRAM-SHA-1")]
    [DataRow("PLAIN")]
    public async Task Login_EachMechanism_BindsFullJid(string mechanism)
    {
        await using var client = await TestXmppClient.ConnectAsync(_server.Host, _server.C2sPort, _server.Domain);
        await client.OpenStreamAsync();
        await client.StartTlsAsync();
        await client.AuthenticateAsync("alice", "wonderland", mechanism);
        var jid = await client.BindAsync("desk-" + mechanism);
        Assert.AreEqual("alice@localhost/desk-" + mechanism, jid);
    }

    [TestMethod, Timeout(20_000)]
    public async Task Login_WrongPassword_NotAuthorized()
    {
        await using var client = await TestXmppClient.ConnectAsync(_server.Host, _server.C2sPort, _server.Domain);
        await client.OpenStreamAsync();
        await client.StartTlsAsync();
        var failure = await Assert.ThrowsExceptionAsync<SaslFailedException>(() => client.AuthenticateAsync("alice", "wrong", "SCRAM-SHA-256"));
        Assert.AreEqual("not-authorized", failure.Condition);
    }

    [TestMethod, Timeout(20_000)]
    public async Task Login_UnknownUser_NotAuthorized()
    {
        await using var client = await TestXmppClient.ConnectAsync(_server.Host, _server.C2sPort, _server.Domain);
        await client.OpenStreamAsync();
        await client.StartTlsAsync();
        var failure = await Assert.ThrowsExceptionAsync<SaslFailedException>(() => client.AuthenticateAsync("nobody", "x", "SCRAM-SHA-1"));
        Assert.AreEqual("not-authorized", failure.Condition);
    }

    [TestMethod, Timeout(20_000)]
    public async Task Auth_BeforeTls_EncryptionRequired()
    {
        await using var client = await TestXmppClient.ConnectAsync(_server.Host, _server.C2sPort, _server.Domain);
        await client.OpenStreamAsync();
        var failure = await Assert.ThrowsExceptionAsync<SaslFailedException>(() => client.AuthenticateAsync("alice", "wonderland", "SCRAM-SHA-256"));
        Assert.AreEqual("encryption-required", failure.Condition);
    }

    [TestMethod, Timeout(20_000)]
    public async Task Bind_WithoutResource_ServerChoosesOne()
    {
        await using var client = await TestXmppClient.ConnectAsync(_server.Host, _server.C2sPort, _server.Domain);
        await client.OpenStreamAsync();
        await client.StartTlsAsync();
        await client.AuthenticateAsync("alice", "wonderland");
        var jid = await client.BindAsync(null);
        StringAssert.StartsWith(jid, "alice@localhost/");
        Assert.IsTrue(jid.Length > "alice@localhost/".Length);
    }

    [TestMethod, Timeout(20_000)]
    public async Task Bind_SameResourceTwice_KicksOldSessionWithConflict()
    {
        await using var first = await _server.LoginAsync("alice", "wonderland", "same");
        await using var second = await _server.LoginAsync("alice", "wonderland", "same");
        var error = await first.ReceiveStreamErrorAsync();
        Assert.AreEqual("conflict", Xmpp.StreamErrorCondition(error));
        var pong = await second.IqAsync(Xmpp.ServerPing());
        Assert.AreEqual("result", (string?)pong.Attribute("type"));
    }

    [TestMethod, Timeout(20_000)]
    public async Task Header_WrongHost_HostUnknown()
    {
        await using var client = await TestXmppClient.ConnectAsync(_server.Host, _server.C2sPort, "elsewhere.example");
        await client.SendRawAsync("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='elsewhere.example' version='1.0'>");
        var error = await client.ReceiveStreamErrorAsync();
        Assert.AreEqual("host-unknown", Xmpp.StreamErrorCondition(error));
        await client.WaitClosedAsync(TimeSpan.FromSeconds(5));
    }

    [TestMethod, Timeout(20_000)]
    public async Task Header_NoVersion_UnsupportedVersion()
    {
        await using var client = await TestXmppClient.ConnectAsync(_server.Host, _server.C2sPort, _server.Domain);
        await client.SendRawAsync("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost'>");
        var error = await client.ReceiveStreamErrorAsync();
        Assert.AreEqual("unsupported-version", Xmpp.StreamErrorCondition(error));
    }

    [TestMethod, Timeout(20_000)]
    public async Task Header_WrongStreamNamespace_InvalidNamespace()
    {
        await using var client = await TestXmppClient.ConnectAsync(_server.Host, _server.C2sPort, _server.Domain);
        await client.SendRawAsync("<stream:stream xmlns='jabber:client' xmlns:stream='urn:wrong' to='localhost' version='1.0'>");
        var error = await client.ReceiveStreamErrorAsync();
        Assert.AreEqual("invalid-namespace", Xmpp.StreamErrorCondition(error));
    }

    [TestMethod, Timeout(20_000)]
    public async Task Stanza_BeforeAuthentication_NotAuthorized()
    {
        await using var client = await TestXmppClient.ConnectAsync(_server.Host, _server.C2sPort, _server.Domain);
        await client.OpenStreamAsync();
        await client.SendRawAsync("<message to='alice@localhost'><body>hi</body></message>");
        var error = await client.ReceiveStreamErrorAsync();
        Assert.AreEqual("not-authorized", Xmpp.StreamErrorCondition(error));
    }

    [TestMethod, Timeout(20_000)]
    public async Task Xml_Comment_RestrictedXml()
    {
        await using var client = await TestXmppClient.ConnectAsync(_server.Host, _server.C2sPort, _server.Domain);
        await client.OpenStreamAsync();
        await client.SendRawAsync("<!-- hello -->");
        var error = await client.ReceiveStreamErrorAsync();
        Assert.AreEqual("restricted-xml", Xmpp.StreamErrorCondition(error));
    }

    [TestMethod, Timeout(20_000)]
    public async Task Stanza_OverUnauthenticatedLimit_PolicyViolation()
    {
        await using var client = await TestXmppClient.ConnectAsync(_server.Host, _server.C2sPort, _server.Domain);
        await client.OpenStreamAsync();
        await client.SendRawAsync("<message><body>" + new string('x', 20_000) + "</body></message>");
        var error = await client.ReceiveStreamErrorAsync();
        Assert.AreEqual("policy-violation", Xmpp.StreamErrorCondition(error));
    }

    [TestMethod, Timeout(20_000)]
    public async Task DirectTls_Login_Works()
    {
        await using var client = await TestXmppClient.ConnectAsync(_server.Host, _server.DirectTlsPort, _server.Domain, directTls: true);
        var features = await client.OpenStreamAsync();
        Assert.IsNull(features.Element(Tls + "starttls"), "no STARTTLS inside TLS");
        await client.AuthenticateAsync("alice", "wonderland", "SCRAM-SHA-1");
        Assert.AreEqual("alice@localhost/tls", await client.BindAsync("tls"));
    }

    [TestMethod, Timeout(20_000)]
    public async Task StartTls_Twice_PolicyViolation()
    {
        await using var client = await TestXmppClient.ConnectAsync(_server.Host, _server.C2sPort, _server.Domain);
        await client.OpenStreamAsync();
        await client.StartTlsAsync();
        await client.SendRawAsync("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        var error = await client.ReceiveStreamErrorAsync();
        Assert.AreEqual("policy-violation", Xmpp.StreamErrorCondition(error));
    }

    [TestMethod, Timeout(20_000)]
    public async Task Close_ByClient_ServerClosesToo()
    {
        await using var client = await _server.LoginAsync("alice", "wonderland", "closer");
        await client.SendRawAsync(" \n ");
        var pong = await client.IqAsync(Xmpp.ServerPing());
        Assert.AreEqual("result", (string?)pong.Attribute("type"));
        await client.CloseAsync();
        await client.WaitClosedAsync(TimeSpan.FromSeconds(5));
    }

    /// <summary>Account probing: an unknown name gets a challenge shaped like a real one, with a salt stable per name.</summary>
    [TestMethod, Timeout(20_000)]
    public async Task Scram_UnknownUser_ChallengeLooksRealAndIsStable()
    {
        async Task<Dictionary<string, string>> ChallengeFor(string user)
        {
            await using var client = await TestXmppClient.ConnectAsync(_server.Host, _server.C2sPort, _server.Domain);
            await client.OpenStreamAsync();
            await client.StartTlsAsync();
            var first = System.Text.Encoding.UTF8.GetBytes($"n,,n={user},r=clientnonce123");
            await client.SendRawAsync($"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>{Convert.ToBase64String(first)}</auth>");
            var challenge = await client.ReceiveAsync(e => e.Name.LocalName == "challenge");
            var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(challenge.Value));
            return text.Split(',').ToDictionary(p => p[..1], p => p[2..]);
        }
        var real = await ChallengeFor("alice");
        var ghost = await ChallengeFor("ghost");
        var ghostAgain = await ChallengeFor("ghost");
        Assert.AreEqual(real["i"], ghost["i"], "same iteration count as real accounts");
        Assert.AreEqual(real["s"].Length, ghost["s"].Length, "same salt length as real accounts");
        Assert.AreEqual(ghost["s"], ghostAgain["s"], "stable salt for the same unknown name");
        StringAssert.StartsWith(ghost["r"], "clientnonce123");
    }

    /// <summary>RFC 6120 §6.4.2: PLAIN without an initial response gets an empty challenge and takes the credentials from &lt;response/&gt;.</summary>
    [DataTestMethod, Timeout(20_000)]
    [DataRow("wonderland", "success")]
    [DataRow("wrong", "failure")]
    public async Task Plain_WithoutInitialResponse_CredentialsFromResponse(string password, string outcome)
    {
        await using var client = await TestXmppClient.ConnectAsync(_server.Host, _server.C2sPort, _server.Domain);
        await client.OpenStreamAsync();
        await client.StartTlsAsync();
        await client.SendRawAsync("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'/>");
        var challenge = await client.ReceiveAsync(e => e.Name.Namespace == Sasl);
        Assert.AreEqual("challenge", challenge.Name.LocalName, challenge.ToString());
        Assert.IsTrue(challenge.Value is "" or "=", "the challenge is empty");
        var credentials = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("\0alice\0" + password));
        await client.SendRawAsync($"<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{credentials}</response>");
        var answer = await client.ReceiveAsync(e => e.Name.Namespace == Sasl);
        Assert.AreEqual(outcome, answer.Name.LocalName, answer.ToString());
        if (outcome == "failure") Assert.AreEqual("not-authorized", TestXmppClient.GetErrorCondition(answer));
    }

    /// <summary>
    /// RFC 6120 §5.4.3.3: whitespace after &lt;starttls/&gt; in the same packet is not pipelined plaintext,
    /// so TLS proceeds; anything else after it is a policy violation.
    /// </summary>
    [DataTestMethod, Timeout(20_000)]
    [DataRow("\r\n \t", true)]
    [DataRow(" <presence/>", false)]
    public async Task StartTls_FollowedInSamePacket_OnlyWhitespaceAllowed(string trailer, bool tlsExpected)
    {
        using var tcp = new System.Net.Sockets.TcpClient { NoDelay = true };
        await tcp.ConnectAsync(_server.Host, _server.C2sPort);
        var stream = tcp.GetStream();
        const string header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>";
        await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(header));
        await ReadUntilAsync(stream, "</stream:features>");
        await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>" + trailer));
        var answer = await ReadUntilAsync(stream, tlsExpected ? "<proceed" : "</stream:stream>");
        if (!tlsExpected)
        {
            StringAssert.Contains(answer, "policy-violation");
            return;
        }
        await using var tls = new System.Net.Security.SslStream(stream, leaveInnerStreamOpen: true, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("localhost");
        await tls.WriteAsync(System.Text.Encoding.UTF8.GetBytes(header));
        StringAssert.Contains(await ReadUntilAsync(tls, "</stream:features>"), "<mechanisms");
    }

    private static async Task<string> ReadUntilAsync(Stream stream, string marker)
    {
        var text = new System.Text.StringBuilder();
        var buffer = new byte[4096];
        while (!text.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0) Assert.Fail($"Connection closed before '{marker}': {text}");
            text.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, read));
        }
        return text.ToString();
    }
}
