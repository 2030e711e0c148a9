using XmppConf.Storage.Abstractions;

namespace XmppConf.Storage.Tests.Abstractions;

/// <summary>What every <see cref="IOfflineStore"/> must do; one subclass per adapter.</summary>
public abstract class OfflineStoreContract
{
    private const string Alice = "alice@localhost";
    private const string Bob = "bob@localhost";

    private StoreSet? _stores;

    protected IOfflineStore Offline => (_stores ?? throw new InvalidOperationException("Stores are opened in TestInitialize.")).Offline;

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
    public async Task PeekAllAsync_UnknownUser_ReturnsEmpty()
    {
        Assert.AreEqual(0, (await Offline.PeekAllAsync(Alice)).Count);
        Assert.AreEqual(0, await Offline.CountAsync(Alice));
    }

    [TestMethod]
    public async Task TryStoreAsync_ThreeMessages_PeekReturnsThemOldestFirstWithEveryField()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.IsTrue(await Offline.TryStoreAsync(Alice, $"<message id='m{i}'><body>Grüße {i}</body></message>", Samples.Instant.AddSeconds(i), 10));
        }

        var messages = await Offline.PeekAllAsync(Alice);

        Assert.AreEqual(3, messages.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.AreEqual(Alice, messages[i].ToBareJid);
            Assert.AreEqual($"<message id='m{i}'><body>Grüße {i}</body></message>", messages[i].StanzaXml);
            Assert.AreEqual(Samples.Instant.AddSeconds(i), messages[i].StoredAt);
        }
        Assert.IsTrue(messages[0].Id < messages[1].Id && messages[1].Id < messages[2].Id, "ids grow in storing order");
    }

    [TestMethod]
    public async Task PeekAllAsync_CalledTwice_DoesNotRemove()
    {
        await Offline.TryStoreAsync(Alice, "<message/>", Samples.Instant, 10);

        await Offline.PeekAllAsync(Alice);

        Assert.AreEqual(1, (await Offline.PeekAllAsync(Alice)).Count);
        Assert.AreEqual(1, await Offline.CountAsync(Alice));
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(1)]
    [DataRow(3)]
    public async Task TryStoreAsync_QueueAtQuota_ReturnsFalseAndStoresNothing(int quota)
    {
        for (var i = 0; i < quota; i++)
        {
            Assert.IsTrue(await Offline.TryStoreAsync(Alice, $"<message id='{i}'/>", Samples.Instant, quota));
        }

        Assert.IsFalse(await Offline.TryStoreAsync(Alice, "<message id='over'/>", Samples.Instant, quota));

        Assert.AreEqual(quota, await Offline.CountAsync(Alice));
        Assert.IsFalse((await Offline.PeekAllAsync(Alice)).Any(m => m.StanzaXml.Contains("over", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task TryStoreAsync_AfterRemovalBelowQuota_AcceptsAgain()
    {
        await Offline.TryStoreAsync(Alice, "<message id='1'/>", Samples.Instant, 2);
        await Offline.TryStoreAsync(Alice, "<message id='2'/>", Samples.Instant, 2);
        var first = (await Offline.PeekAllAsync(Alice))[0];

        await Offline.RemoveAsync(Alice, [first.Id]);

        Assert.IsTrue(await Offline.TryStoreAsync(Alice, "<message id='3'/>", Samples.Instant, 2));
    }

    [TestMethod]
    public async Task RemoveAsync_SomeIds_RemovesOnlyThoseAndKeepsOrder()
    {
        for (var i = 0; i < 5; i++)
        {
            await Offline.TryStoreAsync(Alice, $"<message id='{i}'/>", Samples.Instant, 10);
        }
        var all = await Offline.PeekAllAsync(Alice);

        await Offline.RemoveAsync(Alice, [all[1].Id, all[3].Id, 999_999]);

        var left = await Offline.PeekAllAsync(Alice);
        CollectionAssert.AreEqual(new[] { all[0].Id, all[2].Id, all[4].Id }, left.Select(m => m.Id).ToArray());
    }

    [TestMethod]
    public async Task RemoveAsync_EmptyIdList_RemovesNothing()
    {
        await Offline.TryStoreAsync(Alice, "<message/>", Samples.Instant, 10);

        await Offline.RemoveAsync(Alice, []);

        Assert.AreEqual(1, await Offline.CountAsync(Alice));
    }

    [TestMethod]
    public async Task RemoveAsync_IdsOfAnotherUser_AreIgnored()
    {
        await Offline.TryStoreAsync(Bob, "<message/>", Samples.Instant, 10);
        var bobsId = (await Offline.PeekAllAsync(Bob))[0].Id;

        await Offline.RemoveAsync(Alice, [bobsId]);

        Assert.AreEqual(1, await Offline.CountAsync(Bob));
    }

    [TestMethod]
    public async Task TryStoreAsync_TwoUsers_QueuesAndQuotasAreSeparate()
    {
        await Offline.TryStoreAsync(Alice, "<message to='alice'/>", Samples.Instant, 1);

        Assert.IsTrue(await Offline.TryStoreAsync(Bob, "<message to='bob'/>", Samples.Instant, 1), "Alice's full queue does not block Bob");

        Assert.AreEqual("<message to='alice'/>", (await Offline.PeekAllAsync(Alice)).Single().StanzaXml);
        Assert.AreEqual("<message to='bob'/>", (await Offline.PeekAllAsync(Bob)).Single().StanzaXml);
    }

    [TestMethod]
    public async Task TryStoreAsync_50ParallelWritersQuota20_ExactlyTwentyStored()
    {
        var results = await Concurrently.RunAsync(50, i =>
            Offline.TryStoreAsync(Alice, $"<message id='{i}'/>", Samples.Instant, 20));

        Assert.AreEqual(20, results.Count(stored => stored));
        Assert.AreEqual(20, await Offline.CountAsync(Alice));
        Assert.AreEqual(20, (await Offline.PeekAllAsync(Alice)).Select(m => m.StanzaXml).Distinct().Count());
    }

    [TestMethod]
    public async Task TryStoreAsync_NegativeQuota_ThrowsArgumentOutOfRange()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Offline.TryStoreAsync(Alice, "<message/>", Samples.Instant, -1));
    }
}
