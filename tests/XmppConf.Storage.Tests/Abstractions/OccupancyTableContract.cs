using XmppConf.Storage.Abstractions;

namespace XmppConf.Storage.Tests.Abstractions;

/// <summary>What every <see cref="IOccupancyTable"/> must do; one subclass per adapter.</summary>
public abstract class OccupancyTableContract
{
    private const string Lobby = RoomSamples.Lobby;
    private const string Other = "other@conference.localhost";

    private IOccupancyTable? _table;

    protected IOccupancyTable Table => _table ?? throw new InvalidOperationException("The table is created in TestInitialize.");

    /// <summary>A new, empty table for one test.</summary>
    protected abstract IOccupancyTable CreateTable();

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
    public async Task GetRoomAsync_EmptyTable_ReturnsNothing()
    {
        Assert.AreEqual(0, (await Table.GetRoomAsync(Lobby)).Count);
        Assert.AreEqual(0, (await Table.GetByUserAsync("alice@localhost/phone")).Count);
        Assert.AreEqual(0, await Table.CountAsync(Lobby));
    }

    [TestMethod]
    public async Task SetAsync_NewOccupant_ListedByRoomAndByUser()
    {
        var entry = new OccupantEntry(Lobby, "Alice", "alice@localhost/phone", "node-a", "moderator", "owner", Samples.Instant);

        await Table.SetAsync(entry);

        Assert.AreEqual(entry, (await Table.GetRoomAsync(Lobby)).Single());
        Assert.AreEqual(entry, (await Table.GetByUserAsync("alice@localhost/phone")).Single());
        Assert.AreEqual(1, await Table.CountAsync(Lobby));
    }

    [TestMethod]
    public async Task SetAsync_SameRoomAndRealJid_ReplacesEntryInBothViews()
    {
        await Table.SetAsync(RoomSamples.Occupant(Lobby, "alice@localhost/phone", nick: "Alice"));
        var changed = RoomSamples.Occupant(Lobby, "alice@localhost/phone", nick: "Alicia", role: "moderator");

        await Table.SetAsync(changed);

        Assert.AreEqual(changed, (await Table.GetRoomAsync(Lobby)).Single());
        Assert.AreEqual(changed, (await Table.GetByUserAsync("alice@localhost/phone")).Single());
        Assert.AreEqual(1, await Table.CountAsync(Lobby));
    }

    [TestMethod]
    public async Task SetAsync_SeveralRoomsAndSessions_EachViewListsOnlyItsOwn()
    {
        await Table.SetAsync(RoomSamples.Occupant(Lobby, "alice@localhost/phone", nick: "a1"));
        await Table.SetAsync(RoomSamples.Occupant(Lobby, "alice@localhost/laptop", nick: "a2"));
        await Table.SetAsync(RoomSamples.Occupant(Lobby, "bob@localhost/phone", nick: "b"));
        await Table.SetAsync(RoomSamples.Occupant(Other, "alice@localhost/phone", nick: "a1"));
        await Table.SetAsync(RoomSamples.Occupant("lobby@conference.localhost.example", "carol@localhost/x", nick: "c"));

        CollectionAssert.AreEquivalent(
            new[] { "alice@localhost/phone", "alice@localhost/laptop", "bob@localhost/phone" },
            (await Table.GetRoomAsync(Lobby)).Select(e => e.RealJid).ToArray());
        CollectionAssert.AreEquivalent(
            new[] { Lobby, Other },
            (await Table.GetByUserAsync("alice@localhost/phone")).Select(e => e.RoomJid).ToArray());
        Assert.AreEqual(Lobby, (await Table.GetByUserAsync("alice@localhost/laptop")).Single().RoomJid);
        Assert.AreEqual(0, (await Table.GetByUserAsync("alice@localhost")).Count, "bare JID is not a session");
        Assert.AreEqual(3, await Table.CountAsync(Lobby));
        Assert.AreEqual(1, await Table.CountAsync(Other));
    }

    [TestMethod]
    public async Task RemoveAsync_ExistingOccupant_RemovesOnlyThatRoomEntry()
    {
        await Table.SetAsync(RoomSamples.Occupant(Lobby, "alice@localhost/phone"));
        await Table.SetAsync(RoomSamples.Occupant(Lobby, "bob@localhost/phone"));
        await Table.SetAsync(RoomSamples.Occupant(Other, "alice@localhost/phone"));

        Assert.IsTrue(await Table.RemoveAsync(Lobby, "alice@localhost/phone"));

        Assert.AreEqual("bob@localhost/phone", (await Table.GetRoomAsync(Lobby)).Single().RealJid);
        Assert.AreEqual(Other, (await Table.GetByUserAsync("alice@localhost/phone")).Single().RoomJid);
        Assert.IsFalse(await Table.RemoveAsync(Lobby, "alice@localhost/phone"), "second removal");
    }

    [TestMethod]
    public async Task RemoveAsync_UnknownOccupant_ReturnsFalseAndChangesNothing()
    {
        await Table.SetAsync(RoomSamples.Occupant(Lobby, "alice@localhost/phone"));

        Assert.IsFalse(await Table.RemoveAsync(Lobby, "bob@localhost/phone"));
        Assert.IsFalse(await Table.RemoveAsync(Other, "alice@localhost/phone"));

        Assert.AreEqual(1, await Table.CountAsync(Lobby));
        Assert.AreEqual(1, (await Table.GetByUserAsync("alice@localhost/phone")).Count);
    }

    [TestMethod]
    public async Task RemoveAsync_LastOccupantThenJoinAgain_Works()
    {
        await Table.SetAsync(RoomSamples.Occupant(Lobby, "alice@localhost/phone"));
        await Table.RemoveAsync(Lobby, "alice@localhost/phone");
        Assert.AreEqual(0, await Table.CountAsync(Lobby));
        Assert.AreEqual(0, (await Table.GetByUserAsync("alice@localhost/phone")).Count);

        await Table.SetAsync(RoomSamples.Occupant(Lobby, "alice@localhost/phone", nick: "back"));

        Assert.AreEqual("back", (await Table.GetRoomAsync(Lobby)).Single().Nick);
        Assert.AreEqual("back", (await Table.GetByUserAsync("alice@localhost/phone")).Single().Nick);
    }

    [TestMethod]
    public async Task RemoveRoomAsync_OccupiedRoom_RemovesAllItsEntriesFromBothViews()
    {
        await Table.SetAsync(RoomSamples.Occupant(Lobby, "alice@localhost/phone"));
        await Table.SetAsync(RoomSamples.Occupant(Lobby, "bob@localhost/phone"));
        await Table.SetAsync(RoomSamples.Occupant(Other, "alice@localhost/phone"));

        Assert.AreEqual(2, await Table.RemoveRoomAsync(Lobby));

        Assert.AreEqual(0, await Table.CountAsync(Lobby));
        Assert.AreEqual(0, (await Table.GetRoomAsync(Lobby)).Count);
        Assert.AreEqual(Other, (await Table.GetByUserAsync("alice@localhost/phone")).Single().RoomJid);
        Assert.AreEqual(0, (await Table.GetByUserAsync("bob@localhost/phone")).Count);
        Assert.AreEqual(0, await Table.RemoveRoomAsync(Lobby), "already empty");
    }

    [TestMethod]
    public async Task RemoveNodeAsync_TwoNodes_RemovesOnlyThatNodesEntries()
    {
        await Table.SetAsync(RoomSamples.Occupant(Lobby, "alice@localhost/phone", node: "node-a"));
        await Table.SetAsync(RoomSamples.Occupant(Lobby, "bob@localhost/phone", node: "node-b"));
        await Table.SetAsync(RoomSamples.Occupant(Other, "alice@localhost/phone", node: "node-a"));
        await Table.SetAsync(RoomSamples.Occupant(Other, "carol@localhost/phone", node: "node-a"));
        await Table.SetAsync(RoomSamples.Occupant("third@conference.localhost", "dave@localhost/phone", node: "node-b"));

        Assert.AreEqual(3, await Table.RemoveNodeAsync("node-a"));

        Assert.AreEqual("bob@localhost/phone", (await Table.GetRoomAsync(Lobby)).Single().RealJid);
        Assert.AreEqual(0, await Table.CountAsync(Other));
        Assert.AreEqual(1, await Table.CountAsync("third@conference.localhost"));
        Assert.AreEqual(0, (await Table.GetByUserAsync("alice@localhost/phone")).Count);
        Assert.AreEqual(0, (await Table.GetByUserAsync("carol@localhost/phone")).Count);
        Assert.AreEqual(1, (await Table.GetByUserAsync("bob@localhost/phone")).Count);
        Assert.AreEqual(0, await Table.RemoveNodeAsync("node-a"), "nothing left of node-a");

        await Table.SetAsync(RoomSamples.Occupant(Other, "alice@localhost/phone", node: "node-b"));
        Assert.AreEqual(1, await Table.CountAsync(Other), "alice can join again");
    }

    [TestMethod]
    public async Task SetAsync_EmptyNick_ThrowsArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Table.SetAsync(RoomSamples.Occupant(Lobby, "alice@localhost/phone", nick: "")));
    }

    [TestMethod]
    public async Task GetRoomAsync_CancelledToken_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => Table.GetRoomAsync(Lobby, cts.Token));
    }

    [TestMethod]
    public async Task SetAsync_50ParallelOccupantsOneRoom_AllListed()
    {
        await Concurrently.RunAsync(50, async i =>
        {
            await Table.SetAsync(RoomSamples.Occupant(Lobby, $"user{i}@localhost/r", nick: $"n{i}"));
            return true;
        });

        Assert.AreEqual(50, await Table.CountAsync(Lobby));
        Assert.AreEqual(50, (await Table.GetRoomAsync(Lobby)).Select(e => e.RealJid).Distinct().Count());
        for (var i = 0; i < 50; i++)
        {
            Assert.AreEqual(Lobby, (await Table.GetByUserAsync($"user{i}@localhost/r")).Single().RoomJid);
        }
    }

    [TestMethod]
    public async Task SetAsync_OneSessionJoins50RoomsInParallel_AllListedByUser()
    {
        await Concurrently.RunAsync(50, async i =>
        {
            await Table.SetAsync(RoomSamples.Occupant($"room{i}@conference.localhost", "alice@localhost/phone"));
            return true;
        });

        Assert.AreEqual(50, (await Table.GetByUserAsync("alice@localhost/phone")).Select(e => e.RoomJid).Distinct().Count());
    }

    [TestMethod]
    [Timeout(60_000)]
    public async Task SetAndRemove_ParallelChurn_NoEntryLostOrLeftBehindInEitherView()
    {
        // Workers 0-3 churn in one room; the same sessions also churn in a per-worker room, so
        // both the room buckets and the user buckets keep going from empty to non-empty.
        var failures = await Concurrently.RunAsync(4, async worker =>
        {
            var realJid = $"user{worker}@localhost/r";
            var ownRoom = $"own{worker}@conference.localhost";
            var failed = 0;
            for (var round = 0; round < 20_000; round++)
            {
                await Table.SetAsync(RoomSamples.Occupant(Lobby, realJid));
                await Table.SetAsync(RoomSamples.Occupant(ownRoom, realJid));
                if ((await Table.GetByUserAsync(realJid)).Count != 2)
                {
                    failed++;
                }
                if (!await Table.RemoveAsync(Lobby, realJid) || !await Table.RemoveAsync(ownRoom, realJid))
                {
                    failed++;
                }
            }
            return failed;
        });

        Assert.AreEqual(0, failures.Sum());
        Assert.AreEqual(0, await Table.CountAsync(Lobby));
        for (var worker = 0; worker < 4; worker++)
        {
            Assert.AreEqual(0, (await Table.GetByUserAsync($"user{worker}@localhost/r")).Count);
        }
    }

    [TestMethod]
    [Timeout(60_000)]
    public async Task RemoveNodeAsync_WhileOtherNodeJoins_KeepsOtherNodeIntact()
    {
        for (var i = 0; i < 200; i++)
        {
            await Table.SetAsync(RoomSamples.Occupant($"room{i % 10}@conference.localhost", $"dead{i}@localhost/r", node: "node-dead"));
        }

        var results = await Concurrently.RunAsync(2, async worker =>
        {
            if (worker == 0)
            {
                return await Table.RemoveNodeAsync("node-dead");
            }
            for (var i = 0; i < 200; i++)
            {
                await Table.SetAsync(RoomSamples.Occupant($"room{i % 10}@conference.localhost", $"live{i}@localhost/r", node: "node-live"));
            }
            return 0;
        });

        Assert.AreEqual(200, results[0]);
        var total = 0;
        for (var room = 0; room < 10; room++)
        {
            var entries = await Table.GetRoomAsync($"room{room}@conference.localhost");
            Assert.IsTrue(entries.All(e => e.NodeId == "node-live"), $"room{room} still holds a dead node's entry");
            total += entries.Count;
        }
        Assert.AreEqual(200, total);
    }
}
