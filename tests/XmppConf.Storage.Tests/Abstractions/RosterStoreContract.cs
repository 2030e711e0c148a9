using XmppConf.Storage.Abstractions;

namespace XmppConf.Storage.Tests.Abstractions;

/// <summary>What every <see cref="IRosterStore"/> must do; one subclass per adapter.</summary>
public abstract class RosterStoreContract
{
    private const string Owner = "alice@localhost";

    private StoreSet? _stores;

    protected StoreSet Stores => _stores ?? throw new InvalidOperationException("Stores are opened in TestInitialize.");

    protected IRosterStore Rosters => Stores.Rosters;

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
    public async Task GetAllAsync_UnknownOwner_ReturnsEmptyAtVersionZero()
    {
        Assert.AreEqual(0, (await Rosters.GetAllAsync(Owner)).Count);
        Assert.AreEqual(0L, await Rosters.GetVersionAsync(Owner));
        Assert.AreEqual(0, await Rosters.CountAsync(Owner));
        Assert.IsNull(await Rosters.GetAsync(Owner, "bob@localhost"));
    }

    [TestMethod]
    [DataRow(null, SubscriptionState.None, false, false, false, true, null, DisplayName = "plain item")]
    [DataRow("Bob", SubscriptionState.To, true, false, false, true, null, DisplayName = "named, pending out")]
    [DataRow("Bob", SubscriptionState.From, false, true, true, true, "<presence type='subscribe'/>", DisplayName = "pending in with stanza")]
    [DataRow(null, SubscriptionState.Both, false, false, false, true, null, DisplayName = "both")]
    [DataRow(null, SubscriptionState.None, false, true, false, false, "<presence from='bob@localhost' type='subscribe'/>", DisplayName = "hidden inbound request")]
    [DataRow(null, SubscriptionState.None, false, false, true, false, null, DisplayName = "hidden pre-approval")]
    public async Task SetAsync_NewItem_GetReturnsEveryField(
        string? name, SubscriptionState subscription, bool pendingOut, bool pendingIn, bool preApproved, bool inRoster, string? pendingInStanza)
    {
        var item = new RosterItem("bob@localhost", name, subscription, pendingOut, pendingIn, preApproved, inRoster, ["Friends"], pendingInStanza);

        await Rosters.SetAsync(Owner, item);

        Samples.AssertItemEqual(item, await Rosters.GetAsync(Owner, "bob@localhost"));
        var all = await Rosters.GetAllAsync(Owner);
        Assert.AreEqual(1, all.Count);
        Samples.AssertItemEqual(item, all[0]);
    }

    [TestMethod]
    public async Task SetAsync_Groups_RoundTripInGivenOrder()
    {
        var item = Samples.Item("bob@localhost", "Work", "Friends", "Füße & <Ünïcode> 家族", "A");
        var noGroups = Samples.Item("carol@localhost");

        await Rosters.SetAsync(Owner, item);
        await Rosters.SetAsync(Owner, noGroups);

        Samples.AssertItemEqual(item, await Rosters.GetAsync(Owner, "bob@localhost"));
        Samples.AssertItemEqual(noGroups, await Rosters.GetAsync(Owner, "carol@localhost"));
        var all = (await Rosters.GetAllAsync(Owner)).OrderBy(i => i.ContactJid, StringComparer.Ordinal).ToArray();
        Samples.AssertItemEqual(item, all[0]);
        Samples.AssertItemEqual(noGroups, all[1]);
    }

    [TestMethod]
    public async Task SetAsync_ExistingItem_ReplacesItIncludingGroups()
    {
        await Rosters.SetAsync(Owner, Samples.Item("bob@localhost", "Old", "Stale"));
        var replacement = new RosterItem("bob@localhost", "Robert", SubscriptionState.To, true, false, false, true, ["New"]);

        await Rosters.SetAsync(Owner, replacement);

        Samples.AssertItemEqual(replacement, await Rosters.GetAsync(Owner, "bob@localhost"));
        Assert.AreEqual(1, await Rosters.CountAsync(Owner));
    }

    [TestMethod]
    public async Task SetAsync_CallerMutatesGroupListAfterwards_StoredGroupsUnchanged()
    {
        var groups = new List<string> { "Friends" };
        await Rosters.SetAsync(Owner, Samples.Item("bob@localhost") with { Groups = groups });

        groups.Add("Enemies");

        CollectionAssert.AreEqual(new[] { "Friends" }, (await Rosters.GetAsync(Owner, "bob@localhost"))!.Groups.ToArray());
    }

    [TestMethod]
    public async Task SetAsync_HiddenItem_StoredReturnedAndCounted()
    {
        await Rosters.SetAsync(Owner, Samples.Item("bob@localhost"));
        var hidden = new RosterItem("eve@localhost", null, SubscriptionState.None, false, true, false, false, [], "<presence type='subscribe'/>");

        await Rosters.SetAsync(Owner, hidden);

        var all = await Rosters.GetAllAsync(Owner);
        Assert.AreEqual(2, all.Count, "hidden items come back; the server filters them from roster gets");
        Samples.AssertItemEqual(hidden, all.Single(i => !i.InRoster));
        Assert.AreEqual(2, await Rosters.CountAsync(Owner));
    }

    [TestMethod]
    public async Task SetAsync_EachChange_ReturnsIncreasingVersion()
    {
        var v1 = await Rosters.SetAsync(Owner, Samples.Item("bob@localhost"));
        var v2 = await Rosters.SetAsync(Owner, Samples.Item("carol@localhost"));
        var v3 = await Rosters.SetAsync(Owner, Samples.Item("bob@localhost", "Friends"));

        Assert.IsTrue(v1 > 0 && v2 > v1 && v3 > v2, $"versions {v1}, {v2}, {v3}");
        Assert.AreEqual(v3, await Rosters.GetVersionAsync(Owner));
    }

    [TestMethod]
    public async Task RemoveAsync_ExistingItem_RemovesItAndBumpsVersion()
    {
        await Rosters.SetAsync(Owner, Samples.Item("bob@localhost", "Friends"));
        var before = await Rosters.SetAsync(Owner, Samples.Item("carol@localhost"));

        var after = await Rosters.RemoveAsync(Owner, "bob@localhost");

        Assert.IsTrue(after > before);
        Assert.AreEqual(after, await Rosters.GetVersionAsync(Owner));
        Assert.IsNull(await Rosters.GetAsync(Owner, "bob@localhost"));
        Assert.AreEqual(1, await Rosters.CountAsync(Owner));
    }

    [TestMethod]
    public async Task RemoveAsync_MissingItem_ReturnsUnchangedVersion()
    {
        var version = await Rosters.SetAsync(Owner, Samples.Item("bob@localhost"));

        Assert.AreEqual(version, await Rosters.RemoveAsync(Owner, "carol@localhost"));
        Assert.AreEqual(version, await Rosters.GetVersionAsync(Owner));
        Assert.AreEqual(0L, await Rosters.RemoveAsync("nobody@localhost", "carol@localhost"));
    }

    [TestMethod]
    public async Task RemoveAsync_ThenSetAgain_VersionKeepsGrowing()
    {
        var v1 = await Rosters.SetAsync(Owner, Samples.Item("bob@localhost", "Friends"));
        var v2 = await Rosters.RemoveAsync(Owner, "bob@localhost");
        var v3 = await Rosters.SetAsync(Owner, Samples.Item("bob@localhost"));

        Assert.IsTrue(v1 < v2 && v2 < v3, $"versions {v1}, {v2}, {v3}");
        Assert.AreEqual(0, (await Rosters.GetAsync(Owner, "bob@localhost"))!.Groups.Count, "old groups do not come back");
    }

    [TestMethod]
    public async Task SetAsync_TwoOwners_RostersAndVersionsAreSeparate()
    {
        await Rosters.SetAsync(Owner, Samples.Item("bob@localhost"));
        var aliceVersion = await Rosters.SetAsync(Owner, Samples.Item("carol@localhost"));

        var bobVersion = await Rosters.SetAsync("bob@localhost", Samples.Item("alice@localhost"));

        Assert.AreEqual(aliceVersion, await Rosters.GetVersionAsync(Owner), "Bob's change leaves Alice's version alone");
        Assert.AreEqual(bobVersion, await Rosters.GetVersionAsync("bob@localhost"));
        Assert.AreEqual(2, await Rosters.CountAsync(Owner));
        Assert.AreEqual(1, await Rosters.CountAsync("bob@localhost"));
        Assert.IsNull(await Rosters.GetAsync("bob@localhost", "carol@localhost"));
        Assert.AreEqual("alice@localhost", (await Rosters.GetAllAsync("bob@localhost")).Single().ContactJid);
    }

    [TestMethod]
    public async Task SetAsync_50ParallelWritersOneOwner_LosesNothing()
    {
        // Each writer sets several items so the writers really overlap.
        const int Writers = 50, ItemsEach = 10;
        var versions = await Concurrently.RunAsync(Writers, async w =>
        {
            var mine = new long[ItemsEach];
            for (var n = 0; n < ItemsEach; n++)
            {
                mine[n] = await Rosters.SetAsync(Owner, Samples.Item($"c{w:D2}-{n}@localhost", $"group{w:D2}-{n}"));
            }
            return mine;
        });

        var all = versions.SelectMany(v => v).ToArray();
        Assert.AreEqual(Writers * ItemsEach, all.Distinct().Count(), "every change got its own version");
        Assert.AreEqual(all.Max(), await Rosters.GetVersionAsync(Owner));
        var items = await Rosters.GetAllAsync(Owner);
        Assert.AreEqual(Writers * ItemsEach, items.Count);
        Assert.AreEqual(Writers * ItemsEach, await Rosters.CountAsync(Owner));
        foreach (var item in items)
        {
            var expectedGroup = "group" + item.ContactJid[1..item.ContactJid.IndexOf('@')];
            CollectionAssert.AreEqual(new[] { expectedGroup }, item.Groups.ToArray(), item.ContactJid);
        }
    }

    [TestMethod]
    public async Task SetAsync_ParallelWritersManyOwners_EachOwnerGetsDistinctVersions()
    {
        var results = await Concurrently.RunAsync(50, async i =>
            (Owner: i % 5, Version: await Rosters.SetAsync($"owner{i % 5}@localhost", Samples.Item($"contact{i}@localhost"))));

        for (var o = 0; o < 5; o++)
        {
            var versions = results.Where(r => r.Owner == o).Select(r => r.Version).ToArray();
            Assert.AreEqual(10, versions.Distinct().Count(), $"owner{o} versions");
            Assert.AreEqual(versions.Max(), await Rosters.GetVersionAsync($"owner{o}@localhost"));
            Assert.AreEqual(10, await Rosters.CountAsync($"owner{o}@localhost"));
        }
    }
}
