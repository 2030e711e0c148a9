using XmppConf.Storage.Abstractions;

namespace XmppConf.Storage.Tests.Abstractions;

/// <summary>What every <see cref="IPresenceTable"/> must do; one subclass per adapter.</summary>
public abstract class PresenceTableContract
{
    private IPresenceTable? _table;

    protected IPresenceTable Table => _table ?? throw new InvalidOperationException("The table is created in TestInitialize.");

    /// <summary>A new, empty table for one test.</summary>
    protected abstract IPresenceTable CreateTable();

    [TestInitialize]
    public void CreateTableForTest() => _table = CreateTable();

    [TestCleanup]
    public async Task DisposeTableAsync()
    {
        if (_table is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    [TestMethod]
    public async Task TryAddAsync_NewFullJid_GetReturnsIt()
    {
        var entry = Samples.Session("alice@localhost/phone", priority: 5);

        Assert.IsTrue(await Table.TryAddAsync(entry));

        Assert.AreEqual(entry, await Table.GetAsync("alice@localhost/phone"));
    }

    [TestMethod]
    public async Task TryAddAsync_FullJidTaken_ReturnsFalseAndKeepsFirst()
    {
        var first = Samples.Session("alice@localhost/phone", node: "node-a");
        await Table.TryAddAsync(first);

        Assert.IsFalse(await Table.TryAddAsync(Samples.Session("alice@localhost/phone", node: "node-b")));

        Assert.AreEqual(first, await Table.GetAsync("alice@localhost/phone"));
        Assert.AreEqual(1, (await Table.GetSessionsAsync("alice@localhost")).Count);
    }

    [TestMethod]
    public async Task GetSessionsAsync_SeveralResources_ReturnsAllOfThatBareJidOnly()
    {
        await Table.TryAddAsync(Samples.Session("alice@localhost/phone"));
        await Table.TryAddAsync(Samples.Session("alice@localhost/laptop", node: "node-b"));
        await Table.TryAddAsync(Samples.Session("alice@localhost/work/desk"));
        await Table.TryAddAsync(Samples.Session("alice@localhost.example/phone"));
        await Table.TryAddAsync(Samples.Session("bob@localhost/phone"));

        var sessions = await Table.GetSessionsAsync("alice@localhost");

        CollectionAssert.AreEquivalent(
            new[] { "alice@localhost/phone", "alice@localhost/laptop", "alice@localhost/work/desk" },
            sessions.Select(s => s.FullJid).ToArray());
    }

    [TestMethod]
    public async Task GetAsync_UnknownOrBareJid_ReturnsNull()
    {
        await Table.TryAddAsync(Samples.Session("alice@localhost/phone"));

        Assert.IsNull(await Table.GetAsync("alice@localhost/laptop"));
        Assert.IsNull(await Table.GetAsync("alice@localhost"));
        Assert.IsNull(await Table.GetAsync("bob@localhost/phone"));
        Assert.AreEqual(0, (await Table.GetSessionsAsync("bob@localhost")).Count);
    }

    [TestMethod]
    public async Task UpdateAsync_ExistingEntry_ReplacesIt()
    {
        await Table.TryAddAsync(Samples.Session("alice@localhost/phone", available: false));
        await Table.TryAddAsync(Samples.Session("alice@localhost/laptop"));
        var updated = Samples.Session("alice@localhost/phone", priority: -1, available: true);

        await Table.UpdateAsync(updated);

        Assert.AreEqual(updated, await Table.GetAsync("alice@localhost/phone"));
        var sessions = await Table.GetSessionsAsync("alice@localhost");
        Assert.AreEqual(2, sessions.Count);
        Assert.AreEqual(updated, sessions.Single(s => s.FullJid == "alice@localhost/phone"));
    }

    [TestMethod]
    public async Task UpdateAsync_MissingEntry_DoesNotAddIt()
    {
        await Table.TryAddAsync(Samples.Session("alice@localhost/laptop"));

        await Table.UpdateAsync(Samples.Session("alice@localhost/phone"));
        await Table.UpdateAsync(Samples.Session("bob@localhost/phone"));

        Assert.IsNull(await Table.GetAsync("alice@localhost/phone"));
        Assert.AreEqual(1, (await Table.GetSessionsAsync("alice@localhost")).Count);
        Assert.AreEqual(0, (await Table.GetSessionsAsync("bob@localhost")).Count);
    }

    [TestMethod]
    public async Task RemoveAsync_ExistingEntry_RemovesOnlyIt()
    {
        await Table.TryAddAsync(Samples.Session("alice@localhost/phone"));
        await Table.TryAddAsync(Samples.Session("alice@localhost/laptop"));

        Assert.IsTrue(await Table.RemoveAsync("alice@localhost/phone"));

        Assert.IsNull(await Table.GetAsync("alice@localhost/phone"));
        Assert.AreEqual("alice@localhost/laptop", (await Table.GetSessionsAsync("alice@localhost")).Single().FullJid);
        Assert.IsFalse(await Table.RemoveAsync("alice@localhost/phone"), "second removal");
    }

    [TestMethod]
    public async Task RemoveAsync_LastResourceThenAddAgain_Works()
    {
        await Table.TryAddAsync(Samples.Session("alice@localhost/phone"));
        await Table.RemoveAsync("alice@localhost/phone");
        Assert.AreEqual(0, (await Table.GetSessionsAsync("alice@localhost")).Count);

        Assert.IsTrue(await Table.TryAddAsync(Samples.Session("alice@localhost/phone", priority: 3)));

        Assert.AreEqual(3, (await Table.GetSessionsAsync("alice@localhost")).Single().Priority);
    }

    [TestMethod]
    public async Task RemoveAsync_UnknownFullJid_ReturnsFalse()
    {
        Assert.IsFalse(await Table.RemoveAsync("alice@localhost/phone"));
    }

    [TestMethod]
    public async Task RemoveNodeAsync_TwoNodes_RemovesOnlyThatNodesEntries()
    {
        await Table.TryAddAsync(Samples.Session("alice@localhost/phone", node: "node-a"));
        await Table.TryAddAsync(Samples.Session("alice@localhost/laptop", node: "node-b"));
        await Table.TryAddAsync(Samples.Session("bob@localhost/phone", node: "node-a"));
        await Table.TryAddAsync(Samples.Session("carol@localhost/phone", node: "node-b"));

        Assert.AreEqual(2, await Table.RemoveNodeAsync("node-a"));

        Assert.AreEqual("alice@localhost/laptop", (await Table.GetSessionsAsync("alice@localhost")).Single().FullJid);
        Assert.AreEqual(0, (await Table.GetSessionsAsync("bob@localhost")).Count);
        Assert.IsNotNull(await Table.GetAsync("carol@localhost/phone"));
        Assert.AreEqual(0, await Table.RemoveNodeAsync("node-a"), "nothing left of node-a");
        Assert.IsTrue(await Table.TryAddAsync(Samples.Session("bob@localhost/phone", node: "node-b")), "bob can bind again");
    }

    [TestMethod]
    public async Task TryAddAsync_50ParallelCallsForOneFullJid_ExactlyOneSucceeds()
    {
        var results = await Concurrently.RunAsync(50, i =>
            Table.TryAddAsync(Samples.Session("alice@localhost/phone", node: $"node-{i}")));

        Assert.AreEqual(1, results.Count(added => added));
        Assert.AreEqual(1, (await Table.GetSessionsAsync("alice@localhost")).Count);
    }

    [TestMethod]
    [Timeout(60_000)]
    public async Task TryAddAndRemove_ParallelChurnOnOneBareJid_NoEntryLostOrLeftBehind()
    {
        // Each worker binds, looks up and unbinds its own resource in a tight loop, so the
        // bare JID keeps going from empty to non-empty: an entry added while the last one of
        // that bare JID is being removed must not vanish. Failures are counted rather than
        // asserted per round, to keep the loop tight enough for the operations to collide.
        var failures = await Concurrently.RunAsync(4, async worker =>
        {
            var entry = Samples.Session($"alice@localhost/r{worker}");
            var failed = 0;
            for (var round = 0; round < 50_000; round++)
            {
                if (!await Table.TryAddAsync(entry) || await Table.GetAsync(entry.FullJid) is null || !await Table.RemoveAsync(entry.FullJid))
                {
                    failed++;
                }
            }
            return failed;
        });

        Assert.AreEqual(0, failures.Sum());
        Assert.AreEqual(0, (await Table.GetSessionsAsync("alice@localhost")).Count);
    }

    [TestMethod]
    public async Task TryAddAsync_50ParallelResources_AllListed()
    {
        await Concurrently.RunAsync(50, i =>
            Table.TryAddAsync(Samples.Session($"alice@localhost/r{i}")));

        Assert.AreEqual(50, (await Table.GetSessionsAsync("alice@localhost")).Select(s => s.FullJid).Distinct().Count());
    }
}
