using XmppConf.Storage.Abstractions;

namespace XmppConf.Storage.Tests.Abstractions;

/// <summary>What every <see cref="IRoomStore"/> must do; one subclass per adapter.</summary>
public abstract class RoomStoreContract
{
    private IRoomStore? _rooms;

    protected IRoomStore Rooms => _rooms ?? throw new InvalidOperationException("The store is created in TestInitialize.");

    /// <summary>A new, empty store for one test.</summary>
    protected abstract IRoomStore CreateStore();

    [TestInitialize]
    public void CreateStoreForTest() => _rooms = CreateStore();

    [TestCleanup]
    public async Task DisposeStoreAsync()
    {
        if (_rooms is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    [TestMethod]
    public async Task LoadAsync_UnknownRoom_ReturnsNull()
    {
        Assert.IsNull(await Rooms.LoadAsync(RoomSamples.Lobby));
        Assert.AreEqual(0, (await Rooms.ListAsync()).Count);
    }

    [TestMethod]
    public async Task SaveAsync_FullRoom_LoadReturnsEveryField()
    {
        var room = new StoredRoom(
            RoomSamples.Lobby,
            """{"name":"Lobby","membersOnly":true,"maxUsers":50}""",
            [
                new StoredAffiliation("alice@localhost", "owner"),
                new StoredAffiliation("bob@localhost", "admin", Reason: "helps out"),
                new StoredAffiliation("carol@localhost", "member", Nick: "caz"),
                new StoredAffiliation("mallory@evil.example", "outcast", Reason: "spam", Nick: "mal"),
            ],
            Subject: "Welcome",
            SubjectNick: "alice",
            SubjectAt: Samples.Instant.AddMinutes(5),
            CreatedAt: Samples.Instant);

        await Rooms.SaveAsync(room);

        RoomSamples.AssertRoomEqual(room, await Rooms.LoadAsync(RoomSamples.Lobby));
    }

    [TestMethod]
    public async Task SaveAsync_NoSubjectNoAffiliations_RoundTripsNulls()
    {
        var room = RoomSamples.Room();

        await Rooms.SaveAsync(room);

        var loaded = await Rooms.LoadAsync(RoomSamples.Lobby);
        RoomSamples.AssertRoomEqual(room, loaded);
        Assert.IsNull(loaded!.Subject);
        Assert.IsNull(loaded.SubjectAt);
    }

    [TestMethod]
    public async Task SaveAsync_Instants_KeepTheirMomentToTheTick()
    {
        var created = new DateTimeOffset(2024, 12, 31, 23, 59, 59, TimeSpan.FromHours(-5)).AddTicks(1234567);
        var room = RoomSamples.Room() with { CreatedAt = created, Subject = "s", SubjectAt = created.AddTicks(1) };

        await Rooms.SaveAsync(room);

        var loaded = await Rooms.LoadAsync(RoomSamples.Lobby);
        Assert.AreEqual(created.UtcTicks, loaded!.CreatedAt.UtcTicks);
        Assert.AreEqual(created.UtcTicks + 1, loaded.SubjectAt!.Value.UtcTicks);
    }

    [TestMethod]
    public async Task SaveAsync_ExistingRoom_ReplacesConfigSubjectAndAllAffiliations()
    {
        await Rooms.SaveAsync(RoomSamples.Room(RoomSamples.Lobby,
            new StoredAffiliation("alice@localhost", "owner"),
            new StoredAffiliation("bob@localhost", "member", Nick: "bobby"),
            new StoredAffiliation("eve@localhost", "outcast", Reason: "old ban")));
        var replacement = new StoredRoom(
            RoomSamples.Lobby,
            """{"name":"Renamed"}""",
            [new StoredAffiliation("bob@localhost", "admin", Reason: "promoted"), new StoredAffiliation("dave@localhost", "member")],
            "New topic", "bob", Samples.Instant.AddHours(1), Samples.Instant);

        await Rooms.SaveAsync(replacement);

        RoomSamples.AssertRoomEqual(replacement, await Rooms.LoadAsync(RoomSamples.Lobby));
        Assert.AreEqual(1, (await Rooms.ListAsync()).Count);
    }

    [TestMethod]
    public async Task SaveAsync_SubjectCleared_LoadsWithoutSubject()
    {
        await Rooms.SaveAsync(RoomSamples.Room() with { Subject = "Topic", SubjectNick = "alice", SubjectAt = Samples.Instant });
        var cleared = RoomSamples.Room();

        await Rooms.SaveAsync(cleared);

        RoomSamples.AssertRoomEqual(cleared, await Rooms.LoadAsync(RoomSamples.Lobby));
    }

    [TestMethod]
    public async Task SaveAsync_ManyAffiliations_KeepSavedOrder()
    {
        // Reverse alphabetical, so an adapter returning them sorted by JID fails.
        var affiliations = Enumerable.Range(0, 200)
            .Select(i => new StoredAffiliation($"user{199 - i:D3}@localhost", i % 2 == 0 ? "member" : "outcast", Reason: i % 3 == 0 ? $"r{i}" : null))
            .ToArray();
        var room = RoomSamples.Room(RoomSamples.Lobby, affiliations);

        await Rooms.SaveAsync(room);

        RoomSamples.AssertRoomEqual(room, await Rooms.LoadAsync(RoomSamples.Lobby));
    }

    [TestMethod]
    public async Task SaveAsync_CallerMutatesAffiliationListAfterwards_StoredListUnchanged()
    {
        var affiliations = new List<StoredAffiliation> { new("alice@localhost", "owner") };
        await Rooms.SaveAsync(RoomSamples.Room() with { Affiliations = affiliations });

        affiliations.Add(new StoredAffiliation("bob@localhost", "member"));

        Assert.AreEqual(1, (await Rooms.LoadAsync(RoomSamples.Lobby))!.Affiliations.Count);
    }

    [TestMethod]
    public async Task SaveAsync_Unicode_RoundTripsExactly()
    {
        var room = new StoredRoom(
            "café-ünïcode-家族@conference.localhost",
            """{"name":"Füße & <Ünïcode> 家族 🎉","description":"'quotes' \"and\" \\ backslash"}""",
            [new StoredAffiliation("jürgen@exämple.de", "owner", Reason: "Gründer 👑", Nick: "Jürgen ☕")],
            "Thema: Ünïcode 家族 🎉\nzweite Zeile",
            "Jürgen ☕",
            Samples.Instant,
            Samples.Instant);

        await Rooms.SaveAsync(room);

        RoomSamples.AssertRoomEqual(room, await Rooms.LoadAsync(room.RoomJid));
        CollectionAssert.AreEqual(new[] { room.RoomJid }, (await Rooms.ListAsync()).ToArray());
    }

    [TestMethod]
    public async Task DeleteAsync_ExistingRoom_RemovesItAndItsAffiliations()
    {
        await Rooms.SaveAsync(RoomSamples.Room(RoomSamples.Lobby, new StoredAffiliation("alice@localhost", "owner")));
        await Rooms.SaveAsync(RoomSamples.Room("other@conference.localhost", new StoredAffiliation("alice@localhost", "owner")));

        Assert.IsTrue(await Rooms.DeleteAsync(RoomSamples.Lobby));

        Assert.IsNull(await Rooms.LoadAsync(RoomSamples.Lobby));
        Assert.IsFalse(await Rooms.DeleteAsync(RoomSamples.Lobby), "second delete");
        Assert.AreEqual(1, (await Rooms.LoadAsync("other@conference.localhost"))!.Affiliations.Count, "other room untouched");
    }

    [TestMethod]
    public async Task DeleteAsync_ThenSaveAgain_StartsFromTheNewRoomOnly()
    {
        await Rooms.SaveAsync(RoomSamples.Room(RoomSamples.Lobby, new StoredAffiliation("eve@localhost", "outcast")));
        await Rooms.DeleteAsync(RoomSamples.Lobby);
        var fresh = RoomSamples.Room(RoomSamples.Lobby, new StoredAffiliation("alice@localhost", "owner"));

        await Rooms.SaveAsync(fresh);

        RoomSamples.AssertRoomEqual(fresh, await Rooms.LoadAsync(RoomSamples.Lobby));
    }

    [TestMethod]
    public async Task DeleteAsync_UnknownRoom_ReturnsFalse()
    {
        Assert.IsFalse(await Rooms.DeleteAsync(RoomSamples.Lobby));
    }

    [TestMethod]
    public async Task ListAsync_SeveralRooms_ReturnsOrdinallySorted()
    {
        string[] jids = ["zeta@conference.localhost", "Alpha@conference.localhost", "lobby@conference.localhost", "ärger@conference.localhost", "alpha@conference.localhost", "\U0001F600@conference.localhost", "\uFF21@conference.localhost"];
        foreach (var jid in jids)
        {
            await Rooms.SaveAsync(RoomSamples.Room(jid));
        }

        var expected = jids.ToArray();
        Array.Sort(expected, StringComparer.Ordinal);
        CollectionAssert.AreEqual(expected, (await Rooms.ListAsync()).ToArray());
    }

    [TestMethod]
    [DataRow("none", DisplayName = "none is the absence of an entry")]
    [DataRow("Owner", DisplayName = "case matters")]
    [DataRow("", DisplayName = "empty")]
    public async Task SaveAsync_UnknownAffiliation_ThrowsArgumentException(string affiliation)
    {
        var room = RoomSamples.Room(RoomSamples.Lobby, new StoredAffiliation("alice@localhost", affiliation));

        await Assert.ThrowsAsync<ArgumentException>(() => Rooms.SaveAsync(room));

        Assert.IsNull(await Rooms.LoadAsync(RoomSamples.Lobby));
    }

    [TestMethod]
    public async Task SaveAsync_TwoAffiliationsForOneJid_ThrowsArgumentException()
    {
        var room = RoomSamples.Room(RoomSamples.Lobby, new StoredAffiliation("alice@localhost", "owner"), new StoredAffiliation("alice@localhost", "member"));

        await Assert.ThrowsAsync<ArgumentException>(() => Rooms.SaveAsync(room));
    }

    [TestMethod]
    public async Task LoadAsync_CancelledToken_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => Rooms.LoadAsync(RoomSamples.Lobby, cts.Token));
    }

    [TestMethod]
    [Timeout(60_000)]
    public async Task SaveAsync_50ParallelRooms_AllStoredIntact()
    {
        await Concurrently.RunAsync(50, async i =>
        {
            await Rooms.SaveAsync(RoomSamples.Room($"room{i:D2}@conference.localhost",
                new StoredAffiliation($"owner{i}@localhost", "owner"),
                new StoredAffiliation($"member{i}@localhost", "member", Nick: $"m{i}")));
            return true;
        });

        var list = await Rooms.ListAsync();
        Assert.AreEqual(50, list.Count);
        for (var i = 0; i < 50; i++)
        {
            var room = await Rooms.LoadAsync($"room{i:D2}@conference.localhost");
            Assert.IsNotNull(room, $"room {i}");
            CollectionAssert.AreEqual(new[] { $"owner{i}@localhost", $"member{i}@localhost" }, room.Affiliations.Select(a => a.Jid).ToArray(), $"room {i}");
        }
    }

    [TestMethod]
    [Timeout(60_000)]
    public async Task SaveAndLoad_ParallelOnOneRoom_LoadNeverSeesAMixOfTwoSaves()
    {
        // Each save's config names its writer and so do all its affiliations: a load that
        // pairs one save's room row with another's affiliations would show two writers.
        const int Rounds = 200;
        var mixed = await Concurrently.RunAsync(4, async worker =>
        {
            var failures = 0;
            for (var round = 0; round < Rounds; round++)
            {
                if (worker < 2)
                {
                    var tag = $"w{worker}r{round}";
                    await Rooms.SaveAsync(RoomSamples.Room(RoomSamples.Lobby,
                        new StoredAffiliation($"a-{tag}@localhost", "owner"),
                        new StoredAffiliation($"b-{tag}@localhost", "member")) with { ConfigJson = tag });
                }
                else if (await Rooms.LoadAsync(RoomSamples.Lobby) is { } room)
                {
                    if (room.Affiliations.Count != 2 || room.Affiliations.Any(a => !a.Jid.Contains($"-{room.ConfigJson}@", StringComparison.Ordinal)))
                    {
                        failures++;
                    }
                }
            }
            return failures;
        });

        Assert.AreEqual(0, mixed.Sum());
    }
}
