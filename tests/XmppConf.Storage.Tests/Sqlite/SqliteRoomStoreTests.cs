using XmppConf.Storage.Abstractions;
using XmppConf.Storage.Sqlite;
using XmppConf.Storage.Tests.Abstractions;

namespace XmppConf.Storage.Tests.Sqlite;

[TestClass]
public sealed class SqliteRoomStoreTests : RoomStoreContract
{
    private readonly TempDirectory _directory = new();
    private SqliteDatabase? _db;

    private string DatabasePath => _directory.File("test.db");

    protected override IRoomStore CreateStore()
    {
        _db = SqliteDatabase.Open(DatabasePath);
        return new SqliteRoomStore(_db);
    }

    [TestCleanup]
    public void CloseDatabase()
    {
        _db?.Dispose();
        _directory.Dispose();
    }

    [TestMethod]
    public async Task SaveAsync_ThenReopenDatabase_RoomComesBack()
    {
        var room = new StoredRoom(
            RoomSamples.Lobby,
            """{"name":"Lobby"}""",
            [new StoredAffiliation("alice@localhost", "owner", Nick: "Alice"), new StoredAffiliation("eve@localhost", "outcast", Reason: "spam")],
            "Welcome", "Alice", Samples.Instant, Samples.Instant);
        await Rooms.SaveAsync(room);
        await Rooms.SaveAsync(RoomSamples.Room("gone@conference.localhost"));
        await Rooms.DeleteAsync("gone@conference.localhost");
        _db!.Dispose();

        _db = SqliteDatabase.Open(DatabasePath);
        var reopened = new SqliteRoomStore(_db);

        RoomSamples.AssertRoomEqual(room, await reopened.LoadAsync(RoomSamples.Lobby));
        CollectionAssert.AreEqual(new[] { RoomSamples.Lobby }, (await reopened.ListAsync()).ToArray());
    }

    [TestMethod]
    public async Task DeleteAsync_Room_LeavesNoAffiliationRows()
    {
        await Rooms.SaveAsync(RoomSamples.Room(RoomSamples.Lobby, new StoredAffiliation("alice@localhost", "owner"), new StoredAffiliation("bob@localhost", "member")));

        await Rooms.DeleteAsync(RoomSamples.Lobby);

        Assert.AreEqual(0L, await SqliteScalar.LongAsync(_db!, "SELECT COUNT(*) FROM room_affiliations;"));
    }

    [TestMethod]
    public async Task SaveAsync_Upsert_LeavesOnlyTheNewAffiliationRows()
    {
        await Rooms.SaveAsync(RoomSamples.Room(RoomSamples.Lobby, new StoredAffiliation("alice@localhost", "owner"), new StoredAffiliation("bob@localhost", "member")));

        await Rooms.SaveAsync(RoomSamples.Room(RoomSamples.Lobby, new StoredAffiliation("carol@localhost", "owner")));

        Assert.AreEqual(1L, await SqliteScalar.LongAsync(_db!, "SELECT COUNT(*) FROM room_affiliations;"));
        Assert.AreEqual(1L, await SqliteScalar.LongAsync(_db!, "SELECT COUNT(*) FROM rooms;"));
    }

    [TestMethod]
    public async Task Open_DatabaseAtVersion1WithData_Migration2AddsRoomTablesAndKeepsData()
    {
        // Make the file look like one written before rooms existed: schema 1, with an account.
        var accounts = new SqliteAccountStore(_db!);
        await accounts.CreateAsync(Samples.Account("alice@localhost"));
        await SqliteScalar.LongAsync(_db!, "DROP TABLE room_affiliations; DROP TABLE rooms; DELETE FROM schema_version WHERE version >= 2; SELECT 0;");
        _db!.Dispose();

        _db = SqliteDatabase.Open(DatabasePath);

        Assert.AreEqual(SqliteMigrations.Latest, _db.SchemaVersion);
        Assert.IsTrue(SqliteMigrations.Latest >= 2);
        Assert.IsNotNull(await new SqliteAccountStore(_db).FindAsync("alice@localhost"));
        var rooms = new SqliteRoomStore(_db);
        await rooms.SaveAsync(RoomSamples.Room(RoomSamples.Lobby, new StoredAffiliation("alice@localhost", "owner")));
        Assert.AreEqual(1, (await rooms.LoadAsync(RoomSamples.Lobby))!.Affiliations.Count);
    }
}
