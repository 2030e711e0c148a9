using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Server.Routing;
using XmppConf.Storage.Abstractions;
using XmppConf.Testing;
using XmppConf.Testing.Xmpp;

namespace XmppConf.Scenarios.Tests.Sessions;

/// <summary>
/// RFC 6120 §7.7.2.2 with the default policy: a new session for a bound resource replaces the old
/// one. The old session's end must be complete before the new one exists, never land on it.
/// </summary>
[TestClass]
public sealed class ResourceConflictTests
{
    private static readonly RecordingComponent Probe = new("probe.localhost");
    private static LoopbackServer _server = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _)
    {
        _server = await LoopbackServer.StartAsync(configureServices: s => s.AddSingleton<IXmppComponent>(Probe));
        foreach (var name in new[] { "romeo", "juliet", "paris" }) await _server.AddUserAsync(name, "pw");
    }

    [ClassCleanup]
    public static async Task StopAsync() => await _server.DisposeAsync();

    private static Func<XElement, bool> PresenceFrom(string jid) => p => Xmpp.IsPresence(p) && (string?)p.Attribute("from") == jid;

    [TestMethod, Timeout(60_000)]
    public async Task Bind_SameResourceRepeatedly_ContactEndsSeeingNewSessionAvailable()
    {
        await using var romeo = await _server.LoginAsync("romeo", "pw", "garden");
        var juliet = await _server.LoginAsync("juliet", "pw", "phone");
        try
        {
            await romeo.IqAsync(Xmpp.Iq("get", new XElement(Xmpp.Roster + "query")));
            await romeo.SendAsync(Xmpp.Presence());
            await juliet.SendAsync(Xmpp.Presence(status: "first"));
            await romeo.SendAsync(Xmpp.Presence("subscribe", "juliet@localhost"));
            await juliet.ReceiveAsync(p => Xmpp.IsPresence(p) && (string?)p.Attribute("type") == "subscribe");
            await juliet.SendAsync(Xmpp.Presence("subscribed", "romeo@localhost"));
            await romeo.ReceiveAsync(p => PresenceFrom("juliet@localhost/phone")(p) && p.Attribute("type") is null);
            var table = _server.Services.GetRequiredService<IPresenceTable>();

            for (var round = 0; round < 6; round++)
            {
                var status = "round " + round;
                var again = await _server.LoginAsync("juliet", "pw", "phone");
                await again.SendAsync(Xmpp.Presence(status: status));
                // In arrival order: perhaps the old session's unavailable, then the new session's presence …
                XElement seen;
                do
                {
                    seen = await romeo.ReceiveAsync(PresenceFrom("juliet@localhost/phone"));
                }
                while (seen.Element(Xmpp.Client + "status")?.Value != status);
                Assert.IsNull(seen.Attribute("type"), seen.ToString());
                // … and nothing after it: the old session's end must not follow the new session's presence.
                await romeo.ExpectNothingAsync(TimeSpan.FromMilliseconds(400), PresenceFrom("juliet@localhost/phone"));
                var entry = await table.GetAsync("juliet@localhost/phone");
                Assert.IsNotNull(entry, "the new session's presence table entry exists");
                Assert.IsTrue(entry.Available, $"round {round}: the new session is available in the presence table");
                StringAssert.Contains(entry.PresenceXml, status);
                Assert.AreEqual("conflict", Xmpp.StreamErrorCondition(await juliet.ReceiveStreamErrorAsync()));
                await juliet.DisposeAsync();
                juliet = again;
            }
        }
        finally
        {
            await juliet.DisposeAsync();
        }
    }

    [TestMethod, Timeout(60_000)]
    public async Task Bind_SameResourceRepeatedly_ComponentHearsOldEndBeforeNewSession()
    {
        const string jid = "paris@localhost/desk";
        var paris = await _server.LoginAsync("paris", "pw", "desk");
        try
        {
            await paris.SendAsync(Xmpp.Presence(to: "room@probe.localhost"));
            await paris.IqAsync(Xmpp.ServerPing());
            for (var round = 0; round < 6; round++)
            {
                var again = await _server.LoginAsync("paris", "pw", "desk");
                await again.SendAsync(Xmpp.Presence(to: "room@probe.localhost"));
                await again.IqAsync(Xmpp.ServerPing());
                await paris.WaitClosedAsync(TimeSpan.FromSeconds(5));
                await Task.Delay(200);
                var events = Probe.Events.Where(e => e.EndsWith(" " + jid, StringComparison.Ordinal)).ToArray();
                // The component joined the old session, saw it leave and end, then saw the new one — never the reverse.
                CollectionAssert.AreEqual(
                    new[] { "presence unavailable " + jid, "ended " + jid, "presence available " + jid },
                    events[^3..], $"round {round}: {string.Join(" | ", events)}");
                Assert.AreEqual(round + 1, events.Count(e => e.StartsWith("ended ", StringComparison.Ordinal)), string.Join(" | ", events));
                await paris.DisposeAsync();
                paris = again;
            }
        }
        finally
        {
            await paris.DisposeAsync();
        }
    }
}
