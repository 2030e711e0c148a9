using System.Diagnostics;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Storage;
using XmppConf.Storage.Abstractions;
using XmppConf.Testing;
using XmppConf.Testing.Xmpp;

namespace XmppConf.Scenarios.Tests.Im;

/// <summary>What account lookups cost: none on the message hot path to an online user; as much for an unknown name as for a wrong password.</summary>
[TestClass]
public sealed class AccountLookupTests
{
    private static readonly CountingAccountStore Counter = new();
    private static LoopbackServer _server = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _)
    {
        _server = await LoopbackServer.StartAsync(
            // Costly key derivation, so the timing of a password check stands out from a round trip.
            new Dictionary<string, string?> { ["Auth:ScramIterations"] = "200000" },
            configureServices: s => s.AddSingleton<IAccountStore>(sp => Counter.Wrapping(sp.GetRequiredService<EmbeddedStores>().Accounts)));
        foreach (var name in new[] { "hal", "ivy", "jon" }) await _server.AddUserAsync(name, "pw");
    }

    [ClassCleanup]
    public static async Task StopAsync() => await _server.DisposeAsync();

    [TestMethod, Timeout(30_000)]
    public async Task Message_ToAccountWithLocalSession_NoAccountLookup()
    {
        await using var hal = await _server.LoginAsync("hal", "pw", "h1");
        await using var ivy = await _server.LoginAsync("ivy", "pw", "i1");
        await ivy.SendAsync(Xmpp.Presence());
        await ivy.ReceiveAsync(Xmpp.IsPresence);
        var before = Counter.Finds;
        for (var i = 0; i < 20; i++) await hal.SendAsync(Xmpp.Message("ivy@localhost", "m" + i));
        for (var i = 0; i < 20; i++) await ivy.ReceiveAsync(Xmpp.IsMessage);
        Assert.AreEqual(before, Counter.Finds, "online recipient: no account lookup per message");
        // An account with no session here is still looked up (it may not exist).
        await hal.SendAsync(Xmpp.Message("jon@localhost", "are you there?"));
        await hal.IqAsync(Xmpp.ServerPing());
        Assert.IsTrue(Counter.Finds > before, "offline recipient: looked up");
    }

    /// <summary>PLAIN against an unknown account derives a key like a real check, so timing does not reveal which accounts exist.</summary>
    [TestMethod, Timeout(60_000)]
    public async Task Plain_UnknownUser_TakesAsLongAsWrongPassword()
    {
        async Task<TimeSpan> FailedPlainAsync(string user)
        {
            await using var client = await TestXmppClient.ConnectAsync(_server.Host, _server.C2sPort, _server.Domain);
            await client.OpenStreamAsync();
            await client.StartTlsAsync();
            var clock = Stopwatch.StartNew();
            var failure = await Assert.ThrowsExceptionAsync<SaslFailedException>(() => client.AuthenticateAsync(user, "wrong", "PLAIN"));
            clock.Stop();
            Assert.AreEqual("not-authorized", failure.Condition);
            return clock.Elapsed;
        }
        await FailedPlainAsync("nobody"); // warm-up: the first unknown name also makes the decoy credential
        var wrongPassword = TimeSpan.MaxValue;
        var unknownUser = TimeSpan.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var w = await FailedPlainAsync("jon");
            var u = await FailedPlainAsync("nobody" + i);
            if (w < wrongPassword) wrongPassword = w;
            if (u < unknownUser) unknownUser = u;
        }
        Assert.IsTrue(unknownUser.TotalMilliseconds >= wrongPassword.TotalMilliseconds * 0.5,
            $"unknown user answered in {unknownUser.TotalMilliseconds:0.#} ms, wrong password in {wrongPassword.TotalMilliseconds:0.#} ms");
    }

    /// <summary>Counts FindAsync calls of the real account store it wraps.</summary>
    private sealed class CountingAccountStore
    {
        private int _finds;

        public int Finds => Volatile.Read(ref _finds);

        public IAccountStore Wrapping(IAccountStore inner) => new Store(this, inner);

        private sealed class Store(CountingAccountStore counter, IAccountStore inner) : IAccountStore
        {
            public Task<bool> CreateAsync(AccountRecord account, CancellationToken ct = default) => inner.CreateAsync(account, ct);

            public Task<AccountRecord?> FindAsync(string bareJid, CancellationToken ct = default)
            {
                Interlocked.Increment(ref counter._finds);
                return inner.FindAsync(bareJid, ct);
            }

            public Task<bool> UpdateKeysAsync(string bareJid, IReadOnlyList<StoredScramKey> keys, CancellationToken ct = default) => inner.UpdateKeysAsync(bareJid, keys, ct);

            public Task<bool> DeleteAsync(string bareJid, CancellationToken ct = default) => inner.DeleteAsync(bareJid, ct);

            public Task<IReadOnlyList<string>> ListAsync(CancellationToken ct = default) => inner.ListAsync(ct);
        }
    }
}
