using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using XmppConf.Core.Xml;
using XmppConf.Hostile.Tests.Kit;
using XmppConf.Testing.Xmpp;

namespace XmppConf.Hostile.Tests;

/// <summary>
/// Forged and oversized addresses: a client claiming another sender (RFC 6120 §8.1.2.1: the server stamps
/// 'from'), and JID parts beyond RFC 7622's 1023 bytes wherever a JID enters (to, bind, SASL, stream header).
/// </summary>
[TestClass]
public sealed class AddressAttackTests
{
    private static readonly XNamespace Client = Ns.Client;
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

    /// <summary>The victim sees the attacker's own full JID, whatever 'from' the attacker wrote.</summary>
    [DataTestMethod, Timeout(60_000)]
    [DataRow("probe@localhost/desk", DisplayName = "another user")]
    [DataRow("victim@localhost", DisplayName = "the victim itself")]
    [DataRow("localhost", DisplayName = "the server domain")]
    [DataRow("conference.localhost", DisplayName = "the MUC service")]
    [DataRow("lobby@conference.localhost/Owner", DisplayName = "a room occupant")]
    public async Task SpoofedFrom_Message_RewrittenToSendersJid(string forged)
    {
        var resource = "spoof-" + Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(forged)))[..8];
        await using var victim = await _server.LoginAsync("victim", Suite.Password, resource);
        await using var attacker = await _server.LoginAsync("mallory", Suite.Password, resource, Suite.Attacker(1));
        await attacker.SendAsync(new XElement(Client + "message", new XAttribute("from", forged), new XAttribute("to", victim.Jid!),
            new XAttribute("type", "chat"), new XElement(Client + "body", "trust me")));
        var received = await victim.ReceiveAsync(e => Suite.IsMessageFrom(e));
        Assert.AreEqual(attacker.Jid, (string?)received.Attribute("from"), received.ToString());
        await Suite.AssertServesAsync(_server);
    }

    [DataTestMethod, Timeout(60_000)]
    [DataRow("localhost", DisplayName = "iq claiming the server")]
    [DataRow("probe@localhost/desk", DisplayName = "iq claiming another user")]
    public async Task SpoofedFrom_Iq_RewrittenToSendersJid(string forged)
    {
        await using var victim = await _server.LoginAsync("victim", Suite.Password, "spoof-iq");
        await using var attacker = await _server.LoginAsync("mallory", Suite.Password, "spoof-iq", Suite.Attacker(2));
        await attacker.SendAsync(new XElement(Client + "iq", new XAttribute("type", "get"), new XAttribute("id", "forged-1"),
            new XAttribute("from", forged), new XAttribute("to", victim.Jid!), new XElement(XName.Get("ping", Ns.Ping))));
        var received = await victim.ReceiveAsync(e => e.Name == Client + "iq" && (string?)e.Attribute("id") == "forged-1");
        Assert.AreEqual(attacker.Jid, (string?)received.Attribute("from"), received.ToString());
    }

    [TestMethod, Timeout(60_000)]
    public async Task SpoofedFrom_PresenceSubscription_RewrittenToSendersBareJid()
    {
        await using var victim = await _server.LoginAsync("victim", Suite.Password, "spoof-presence");
        await victim.SendAsync(new XElement(Client + "presence"));
        await using var attacker = await _server.LoginAsync("mallory", Suite.Password, "spoof-presence", Suite.Attacker(3));
        await attacker.SendAsync(new XElement(Client + "presence", new XAttribute("type", "subscribe"), new XAttribute("from", "probe@localhost"), new XAttribute("to", "victim@localhost")));
        var received = await victim.ReceiveAsync(e => e.Name == Client + "presence" && (string?)e.Attribute("type") == "subscribe");
        Assert.AreEqual("mallory@localhost", (string?)received.Attribute("from"), received.ToString());
    }

    /// <summary>RFC 7622 §3.1: each part at most 1023 bytes; RFC 6120 §8.3.3.8: a bad 'to' is jid-malformed.</summary>
    [DataTestMethod, Timeout(60_000)]
    [DataRow("local", 1024, DisplayName = "1 KiB localpart")]
    [DataRow("domain", 1024, DisplayName = "1 KiB domainpart")]
    [DataRow("resource", 1024, DisplayName = "1 KiB resourcepart")]
    [DataRow("local", 64 * 1024, DisplayName = "64 KiB localpart")]
    [DataRow("resource-multibyte", 1024, DisplayName = "342 three-byte chars in the resourcepart")]
    public async Task OversizedJidPart_InTo_JidMalformed(string part, int bytes)
    {
        var filler = new string('a', bytes);
        var to = part switch
        {
            "local" => $"{filler}@localhost",
            "domain" => $"victim@{filler[..(bytes - 4)]}.com",
            "resource" => $"victim@localhost/{filler}",
            _ => "victim@localhost/" + string.Concat(Enumerable.Repeat("€", (bytes / 3) + 1)),
        };
        await using var attacker = await _server.LoginAsync("mallory", Suite.Password, "long-" + part, Suite.Attacker(4));
        var message = new XElement(Client + "message", new XAttribute("to", to), new XAttribute("id", "long"), new XElement(Client + "body", "x"));
        await attacker.SendAsync(message);
        var error = await attacker.ReceiveAsync(e => (string?)e.Attribute("id") == "long");
        Assert.AreEqual("error", (string?)error.Attribute("type"), error.ToString());
        Assert.AreEqual("jid-malformed", TestXmppClient.GetErrorCondition(error), error.ToString());
        Assert.AreEqual("result", (string?)(await attacker.IqAsync(Suite.ServerPing())).Attribute("type"), "the stream survives a bad address");
    }

    /// <summary>RFC 6120 §7.7.2.1: a resource that cannot be prepared is bad-request; the stream stays usable.</summary>
    [TestMethod, Timeout(60_000)]
    public async Task OversizedResource_InBind_BadRequest()
    {
        await using var attacker = await Suite.OpenUnauthenticatedAsync(_server, 5);
        await attacker.StartTlsAsync();
        await attacker.AuthenticateAsync("mallory", Suite.Password);
        var reply = await attacker.IqAsync(new XElement(Client + "iq", new XAttribute("type", "set"),
            new XElement(XName.Get("bind", Ns.Bind), new XElement(XName.Get("resource", Ns.Bind), new string('r', 1100)))));
        Assert.AreEqual("bad-request", TestXmppClient.GetErrorCondition(reply), reply.ToString());
        Assert.AreEqual("mallory@localhost/short", await attacker.BindAsync("short"));
    }

    /// <summary>A 1 KiB+ SASL username is just an unknown account: not-authorized, no crash, no account probing.</summary>
    [DataTestMethod, Timeout(60_000)]
    [DataRow("SCRAM-SHA-256")]
    [DataRow("PLAIN")]
    public async Task OversizedUsername_InSasl_NotAuthorized(string mechanism)
    {
        await using var attacker = await Suite.OpenUnauthenticatedAsync(_server, 6);
        await attacker.StartTlsAsync();
        var failure = await Assert.ThrowsExceptionAsync<SaslFailedException>(() => attacker.AuthenticateAsync(new string('u', 1100), "x", mechanism));
        Assert.AreEqual("not-authorized", failure.Condition, attacker.DescribeState());
        await Suite.AssertServesAsync(_server);
    }

    /// <summary>RFC 6120 §4.9.3.6: a 'to' that is not a domain this server serves is host-unknown, however long.</summary>
    [TestMethod, Timeout(60_000)]
    public async Task OversizedDomain_InStreamHeader_HostUnknown()
    {
        await using var attacker = await _server.ConnectAsync(Suite.Attacker(7));
        await attacker.SendRawAsync(Suite.StreamHeader.Replace("to='localhost'", $"to='{new string('d', 1100)}.localhost'", StringComparison.Ordinal));
        await Suite.ExpectStreamErrorAsync(attacker, "host-unknown");
    }
}
