using XmppConf.Storage.Abstractions;
using XmppConf.Storage.Tests.Abstractions;
using XmppConf.Storage.Tests.Sqlite;

namespace XmppConf.Storage.Tests;

[TestClass]
public sealed class EmbeddedStorageRoomTests
{
    [TestMethod]
    public async Task Open_ReopenSameDirectory_RoomsSurviveOccupancyDoesNot()
    {
        using var directory = new TempDirectory();
        var room = RoomSamples.Room(RoomSamples.Lobby, new StoredAffiliation("alice@localhost", "owner"));
        await using (var stores = EmbeddedStorage.Open(directory.Path))
        {
            await stores.Rooms.SaveAsync(room);
            await stores.Occupancy.SetAsync(RoomSamples.Occupant(RoomSamples.Lobby, "alice@localhost/phone"));
        }

        await using (var stores = EmbeddedStorage.Open(directory.Path))
        {
            RoomSamples.AssertRoomEqual(room, await stores.Rooms.LoadAsync(RoomSamples.Lobby));
            Assert.AreEqual(0, await stores.Occupancy.CountAsync(RoomSamples.Lobby), "occupancy is live state");
        }
    }

    [TestMethod]
    public async Task Open_AccountDeleted_RoomAffiliationsStay()
    {
        // A room's affiliation list outlives accounts (it may name remote JIDs anyway).
        using var directory = new TempDirectory();
        await using var stores = EmbeddedStorage.Open(directory.Path);
        await stores.Accounts.CreateAsync(Samples.Account("alice@localhost"));
        await stores.Rooms.SaveAsync(RoomSamples.Room(RoomSamples.Lobby, new StoredAffiliation("alice@localhost", "owner")));

        await stores.Accounts.DeleteAsync("alice@localhost");

        Assert.AreEqual(1, (await stores.Rooms.LoadAsync(RoomSamples.Lobby))!.Affiliations.Count);
    }
}
