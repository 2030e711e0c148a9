using XmppConf.Storage.Abstractions;

namespace XmppConf.Storage.Tests.Abstractions;

/// <summary>What every <see cref="IAccountStore"/> must do; one subclass per adapter.</summary>
public abstract class AccountStoreContract
{
    private StoreSet? _stores;

    protected StoreSet Stores => _stores ?? throw new InvalidOperationException("Stores are opened in TestInitialize.");

    protected IAccountStore Accounts => Stores.Accounts;

    /// <summary>A new, empty store set for one test.</summary>
    protected abstract StoreSet OpenStores();

    [TestInitialize]
    public void OpenStoresForTest() => _stores = OpenStores();

    [TestCleanup]
    public async Task DisposeStoresAsync()
    {
        if (_stores is not null)
        {
            await _stores.DisposeAsync();
        }
    }

    [TestMethod]
    public async Task CreateAsync_NewAccount_FindReturnsIt()
    {
        var account = Samples.Account("alice@localhost");

        Assert.IsTrue(await Accounts.CreateAsync(account));

        var found = await Accounts.FindAsync("alice@localhost");
        Assert.IsNotNull(found);
        Assert.AreEqual("alice@localhost", found.BareJid);
        Assert.AreEqual(account.CreatedAt, found.CreatedAt);
        Samples.AssertKeysEqual(account.Keys, found.Keys);
    }

    [TestMethod]
    public async Task CreateAsync_ExistingJid_ReturnsFalseAndKeepsOriginal()
    {
        var original = Samples.Account("alice@localhost", seed: 1);
        await Accounts.CreateAsync(original);

        Assert.IsFalse(await Accounts.CreateAsync(Samples.Account("alice@localhost", seed: 50)));

        var found = await Accounts.FindAsync("alice@localhost");
        Samples.AssertKeysEqual(original.Keys, found!.Keys);
    }

    [TestMethod]
    public async Task CreateAsync_NoKeys_StoresAccountWithEmptyKeyList()
    {
        Assert.IsTrue(await Accounts.CreateAsync(new AccountRecord("alice@localhost", [], Samples.Instant)));

        var found = await Accounts.FindAsync("alice@localhost");
        Assert.IsNotNull(found);
        Assert.AreEqual(0, found.Keys.Count);
    }

    [TestMethod]
    public async Task CreateAsync_TwoKeySetsForOneHash_ThrowsArgumentException()
    {
        var account = new AccountRecord("alice@localhost", [Samples.Key("SHA-256", 1), Samples.Key("SHA-256", 2)], Samples.Instant);

        await Assert.ThrowsAsync<ArgumentException>(() => Accounts.CreateAsync(account));
        Assert.IsNull(await Accounts.FindAsync("alice@localhost"));
    }

    [TestMethod]
    public async Task CreateAsync_CallerMutatesKeyBytesAfterwards_StoredKeysUnchanged()
    {
        var account = Samples.Account("alice@localhost");
        var expected = Samples.Account("alice@localhost");
        await Accounts.CreateAsync(account);

        account.Keys[0].StoredKey[0] ^= 0xFF;

        Samples.AssertKeysEqual(expected.Keys, (await Accounts.FindAsync("alice@localhost"))!.Keys);
    }

    [TestMethod]
    public async Task CreateAsync_JidsDifferOnlyInCase_AreDistinctAccounts()
    {
        // Normalisation (RFC 7622) is the caller's job; the store compares ordinally.
        Assert.IsTrue(await Accounts.CreateAsync(Samples.Account("alice@localhost")));
        Assert.IsTrue(await Accounts.CreateAsync(Samples.Account("Alice@localhost")));
    }

    [TestMethod]
    public async Task CreateManyAsync_SomeExisting_CreatesOnlyTheNewOnesAndCountsThem()
    {
        var existing = Samples.Account("bob@localhost", seed: 1);
        await Accounts.CreateAsync(existing);

        var created = await Accounts.CreateManyAsync(
        [
            Samples.Account("alice@localhost", seed: 2),
            Samples.Account("bob@localhost", seed: 3),
            Samples.Account("carol@localhost", seed: 4),
            Samples.Account("carol@localhost", seed: 5),
        ]);

        Assert.AreEqual(2, created);
        CollectionAssert.AreEqual(new[] { "alice@localhost", "bob@localhost", "carol@localhost" }, (await Accounts.ListAsync()).ToArray());
        Samples.AssertKeysEqual(existing.Keys, (await Accounts.FindAsync("bob@localhost"))!.Keys);
        Samples.AssertKeysEqual(Samples.Account("carol@localhost", seed: 4).Keys, (await Accounts.FindAsync("carol@localhost"))!.Keys);
    }

    [TestMethod]
    public async Task FindAsync_MissingJid_ReturnsNull()
    {
        await Accounts.CreateAsync(Samples.Account("alice@localhost"));

        Assert.IsNull(await Accounts.FindAsync("bob@localhost"));
    }

    [TestMethod]
    public async Task UpdateKeysAsync_ExistingAccount_ReplacesAllKeySets()
    {
        await Accounts.CreateAsync(Samples.Account("alice@localhost"));
        StoredScramKey[] keys = [Samples.Key("SHA-256", 99, iterations: 10000)];

        Assert.IsTrue(await Accounts.UpdateKeysAsync("alice@localhost", keys));

        var found = await Accounts.FindAsync("alice@localhost");
        Samples.AssertKeysEqual(keys, found!.Keys);
        Assert.AreEqual(Samples.Instant, found.CreatedAt);
    }

    [TestMethod]
    public async Task UpdateKeysAsync_MissingAccount_ReturnsFalseAndCreatesNothing()
    {
        Assert.IsFalse(await Accounts.UpdateKeysAsync("bob@localhost", [Samples.Key("SHA-256", 1)]));

        Assert.IsNull(await Accounts.FindAsync("bob@localhost"));
    }

    [TestMethod]
    public async Task DeleteAsync_ExistingAccount_RemovesIt()
    {
        await Accounts.CreateAsync(Samples.Account("alice@localhost"));
        await Accounts.CreateAsync(Samples.Account("bob@localhost"));

        Assert.IsTrue(await Accounts.DeleteAsync("alice@localhost"));

        Assert.IsNull(await Accounts.FindAsync("alice@localhost"));
        Assert.IsNotNull(await Accounts.FindAsync("bob@localhost"));
        Assert.IsTrue(await Accounts.CreateAsync(Samples.Account("alice@localhost")), "the JID is free again");
    }

    [TestMethod]
    public async Task DeleteAsync_MissingAccount_ReturnsFalse()
    {
        Assert.IsFalse(await Accounts.DeleteAsync("alice@localhost"));
    }

    [TestMethod]
    public async Task DeleteAsync_AccountWithRosterAndOfflineMessages_RemovesOwnedDataOnly()
    {
        await Accounts.CreateAsync(Samples.Account("alice@localhost"));
        await Accounts.CreateAsync(Samples.Account("bob@localhost"));
        await Stores.Rosters.SetAsync("alice@localhost", Samples.Item("bob@localhost", "Friends", "Work"));
        await Stores.Rosters.SetAsync("bob@localhost", Samples.Item("alice@localhost"));
        await Stores.Offline.TryStoreAsync("alice@localhost", "<message/>", Samples.Instant, 10);
        await Stores.Offline.TryStoreAsync("bob@localhost", "<message/>", Samples.Instant, 10);

        await Accounts.DeleteAsync("alice@localhost");

        Assert.AreEqual(0, await Stores.Rosters.CountAsync("alice@localhost"));
        Assert.AreEqual(0L, await Stores.Rosters.GetVersionAsync("alice@localhost"));
        Assert.AreEqual(0, await Stores.Offline.CountAsync("alice@localhost"));
        // Bob's data, including his item for Alice, is the server's to change (with presence and pushes).
        Assert.IsNotNull(await Stores.Rosters.GetAsync("bob@localhost", "alice@localhost"));
        Assert.AreEqual(1, await Stores.Offline.CountAsync("bob@localhost"));
    }

    [TestMethod]
    public async Task ListAsync_SeveralAccounts_ReturnsThemSortedOrdinally()
    {
        string[] jids = ["carol@localhost", "alice@localhost", "bob@example.com", "Zed@localhost", "alice@example.com"];
        foreach (var jid in jids)
        {
            await Accounts.CreateAsync(Samples.Account(jid));
        }

        var listed = await Accounts.ListAsync();

        CollectionAssert.AreEqual(
            new[] { "Zed@localhost", "alice@example.com", "alice@localhost", "bob@example.com", "carol@localhost" },
            listed.ToArray());
    }

    [TestMethod]
    public async Task ListAsync_Empty_ReturnsEmpty()
    {
        Assert.AreEqual(0, (await Accounts.ListAsync()).Count);
    }

    [TestMethod]
    public async Task CreateAsync_50ParallelCallsForOneJid_ExactlyOneSucceeds()
    {
        var results = await Concurrently.RunAsync(50, i =>
            Accounts.CreateAsync(Samples.Account("alice@localhost", (byte)i)));

        Assert.AreEqual(1, results.Count(created => created));
    }

    [TestMethod]
    public async Task CreateAsync_50ParallelDistinctJids_AllStored()
    {
        await Concurrently.RunAsync(50, i =>
            Accounts.CreateAsync(Samples.Account($"user{i:D2}@localhost")));

        var listed = await Accounts.ListAsync();
        CollectionAssert.AreEqual(Enumerable.Range(0, 50).Select(i => $"user{i:D2}@localhost").ToArray(), listed.ToArray());
    }

    [TestMethod]
    public async Task FindAsync_CancelledToken_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => Accounts.FindAsync("alice@localhost", cts.Token));
    }
}
