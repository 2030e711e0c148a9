using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Xml;
using XmppConf.Testing;
using XmppConf.Testing.Xmpp;

namespace XmppConf.Scenarios.Tests.Streams;

/// <summary>
/// Limits:MaxDistinctXmlNames on a real server: a client inventing names past the budget is cut off with
/// policy-violation, and the server goes on serving everyone else (security.md, "XML name atomisation").
/// </summary>
[TestClass]
public sealed class XmlNameBudgetTests
{
    private const int Budget = 50;
    private static readonly XNamespace Client = Ns.Client;
    private static LoopbackServer _server = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _)
    {
        _server = await LoopbackServer.StartAsync(new Dictionary<string, string?> { ["Limits:MaxDistinctXmlNames"] = Budget.ToString() });
        await _server.AddUserAsync("mallory", "secret");
        await _server.AddUserAsync("alice", "wonderland");
    }

    [ClassCleanup]
    public static async Task StopAsync() => await _server.DisposeAsync();

    private static XmlNameBudget Names => _server.Services.GetRequiredService<XmlNameBudget>();

    [TestMethod, Timeout(30_000)]
    public async Task Client_InventingNamesPastBudget_PolicyViolation_FreshClientStillServed()
    {
        await using (var mallory = await LoginAsync("mallory", "secret"))
        {
            var attributes = new StringBuilder();
            for (var i = 0; i < Budget + 10; i++) attributes.Append($" invented{i}=''");
            await mallory.SendRawAsync($"<message to='{mallory.Jid}'><x xmlns='urn:example:custom'{attributes}/></message>");

            var error = await mallory.ReceiveStreamErrorAsync();
            Assert.AreEqual("policy-violation", TestXmppClient.GetErrorCondition(error), error.ToString());
            await mallory.WaitClosedAsync(TimeSpan.FromSeconds(5));
        }
        Assert.AreEqual(Budget, Names.Count, "the budget fills, and no further");

        // Another client, and the vocabulary a chat client uses, are unaffected by the spent budget.
        await using var alice = await LoginAsync("alice", "wonderland");
        await alice.SendAsync(new XElement(Client + "message", new XAttribute("to", alice.Jid!), new XAttribute("type", "chat"),
            new XAttribute("id", "m1"), new XElement(Client + "body", "still here"),
            new XElement(XName.Get("request", "urn:xmpp:receipts")), new XElement(XName.Get("origin-id", "urn:xmpp:sid:0"), new XAttribute("id", "o1"))));
        var echoed = await alice.ReceiveAsync(e => e.Name == Client + "message");
        Assert.AreEqual("still here", echoed.Element(Client + "body")?.Value);
    }

    [TestMethod, Timeout(30_000)]
    public async Task BeforeAuthentication_UnknownElement_PolicyViolation_NothingAdmitted()
    {
        var before = Names.Count;
        await using var client = await TestXmppClient.ConnectAsync(_server.Host, _server.C2sPort, _server.Domain);
        await client.OpenStreamAsync();
        await client.SendRawAsync("<invented-before-auth a1='' a2=''/>");

        var error = await client.ReceiveStreamErrorAsync();
        Assert.AreEqual("policy-violation", TestXmppClient.GetErrorCondition(error), error.ToString());
        Assert.AreEqual(before, Names.Count, "nothing sent before authentication may spend the budget");
    }

    private static Task<TestXmppClient> LoginAsync(string user, string password) =>
        TestXmppClient.LoginAsync(_server.Host, _server.C2sPort, _server.Domain, user, password);
}
