using System.Text;
using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Testing;
using XmppConf.Testing.Xmpp;

namespace XmppConf.Scenarios.Tests.Connections;

/// <summary>RFC 6120 §6.3.8: an authorization identity other than the authenticated account is refused with &lt;invalid-authzid/&gt;.</summary>
[TestClass]
public sealed class SaslAuthzidTests
{
    private static readonly XNamespace Sasl = "urn:ietf:params:xml:ns:xmpp-sasl";
    private static LoopbackServer _server = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _)
    {
        _server = await LoopbackServer.StartAsync(new Dictionary<string, string?>
        {
            ["Tls:RequireStartTls"] = "false",
            ["Tls:AllowPlainWithoutTls"] = "true",
        });
        await _server.AddUserAsync("alice", "pw");
        await _server.AddUserAsync("bob", "pw");
    }

    [ClassCleanup]
    public static async Task StopAsync() => await _server.DisposeAsync();

    [DataTestMethod, Timeout(20_000)]
    [DataRow("bob@localhost", "invalid-authzid")]
    [DataRow("alice@otherhost", "invalid-authzid")]
    [DataRow("alice@localhost/desk", "invalid-authzid")]
    [DataRow("alice@localhost", "success")]
    public async Task Plain_Authzid_OnlyTheAccountItself(string authzid, string expected)
    {
        var message = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{authzid}\0alice\0pw"));
        var answer = await SendAuthAsync($"<auth xmlns='{Sasl}' mechanism='PLAIN'>{message}</auth>");
        Assert.AreEqual(expected, answer);
    }

    [DataTestMethod, Timeout(20_000)]
    [DataRow("SCRAM-SHA-256")]
    [DataRow("SCRAM-SHA-1")]
    public async Task Scram_AuthzidOfAnotherAccount_InvalidAuthzid(string mechanism)
    {
        // gs2-header "n,a=bob@localhost," while authenticating as alice (RFC 5802 §5.1).
        var clientFirst = Convert.ToBase64String(Encoding.UTF8.GetBytes("n,a=bob@localhost,n=alice,r=fyko+d2lbbFgONRv9qkxdawL"));
        var answer = await SendAuthAsync($"<auth xmlns='{Sasl}' mechanism='{mechanism}'>{clientFirst}</auth>");
        Assert.AreEqual("invalid-authzid", answer);
    }

    /// <summary>Sends one &lt;auth/&gt; on a fresh stream; returns "success", "challenge" or the failure condition.</summary>
    private static async Task<string> SendAuthAsync(string auth)
    {
        await using var client = await TestXmppClient.ConnectAsync(_server.Host, _server.C2sPort, _server.Domain);
        await client.OpenStreamAsync();
        await client.SendRawAsync(auth);
        var answer = await client.ReceiveAsync(e => e.Name.Namespace == Sasl);
        return answer.Name.LocalName == "failure"
            ? answer.Elements().First(e => e.Name.Namespace == Sasl && e.Name.LocalName != "text").Name.LocalName
            : answer.Name.LocalName;
    }
}
