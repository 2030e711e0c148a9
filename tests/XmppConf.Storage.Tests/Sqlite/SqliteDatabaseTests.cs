using XmppConf.Storage.Abstractions;
using XmppConf.Storage.Sqlite;
using XmppConf.Storage.Tests.Abstractions;

namespace XmppConf.Storage.Tests.Sqlite;

[TestClass]
public sealed class SqliteDatabaseTests
{
    [TestMethod]
    public void Open_MissingDirectory_CreatesDirectoryAndFile()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "nested", "data.db");

        using var db = SqliteDatabase.Open(path);

        Assert.IsTrue(File.Exists(path));
        Assert.AreEqual(path, db.FilePath);
    }

    [TestMethod]
    public async Task Open_NewFile_AppliesEveryMigrationOnce()
    {
        using var directory = new TempDirectory();

        using var db = SqliteDatabase.Open(directory.File("data.db"));

        Assert.AreEqual(SqliteMigrations.Latest, db.SchemaVersion);
        Assert.AreEqual((long)SqliteMigrations.Latest, await SqliteScalar.LongAsync(db, "SELECT COUNT(*) FROM schema_version;"));
        Assert.AreEqual((long)SqliteMigrations.Latest, await SqliteScalar.LongAsync(db, "SELECT MAX(version) FROM schema_version;"));
    }

    [TestMethod]
    public async Task Open_ExistingFile_DoesNotReapplyMigrations()
    {
        using var directory = new TempDirectory();
        SqliteDatabase.Open(directory.File("data.db")).Dispose();

        using var db = SqliteDatabase.Open(directory.File("data.db"));

        Assert.AreEqual((long)SqliteMigrations.Latest, await SqliteScalar.LongAsync(db, "SELECT COUNT(*) FROM schema_version;"));
    }

    [TestMethod]
    public async Task Open_SchemaNewerThanThisBuild_Throws()
    {
        using var directory = new TempDirectory();
        using (var db = SqliteDatabase.Open(directory.File("data.db")))
        {
            await SqliteScalar.LongAsync(db, $"INSERT INTO schema_version (version, applied_at) VALUES ({SqliteMigrations.Latest + 1}, 0); SELECT 0;");
        }

        var error = Assert.Throws<InvalidOperationException>(() => SqliteDatabase.Open(directory.File("data.db")));
        StringAssert.Contains(error.Message, "newer");
    }

    [TestMethod]
    public async Task OpenConnectionAsync_AnyConnection_HasWalForeignKeysAndBusyTimeout()
    {
        using var directory = new TempDirectory();
        using var db = SqliteDatabase.Open(directory.File("data.db"));

        Assert.AreEqual("wal", await SqliteScalar.TextAsync(db, "PRAGMA journal_mode;"));
        Assert.AreEqual(1L, await SqliteScalar.LongAsync(db, "PRAGMA foreign_keys;"));
        Assert.AreEqual((long)SqliteDatabase.BusyTimeoutMilliseconds, await SqliteScalar.LongAsync(db, "PRAGMA busy_timeout;"));
    }

    [TestMethod]
    public async Task Reopen_SameFile_DurableDataSurvives()
    {
        using var directory = new TempDirectory();
        var path = directory.File("data.db");
        var item = new RosterItem("bob@localhost", "Bob", SubscriptionState.Both, false, false, false, true, ["Friends", "Work"]);
        long version;
        using (var db = SqliteDatabase.Open(path))
        {
            await new SqliteAccountStore(db).CreateAsync(Samples.Account("alice@localhost"));
            version = await new SqliteRosterStore(db).SetAsync("alice@localhost", item);
            await new SqliteOfflineStore(db).TryStoreAsync("alice@localhost", "<message/>", Samples.Instant, 10);
        }

        using (var db = SqliteDatabase.Open(path))
        {
            var account = await new SqliteAccountStore(db).FindAsync("alice@localhost");
            Assert.IsNotNull(account);
            Samples.AssertKeysEqual(Samples.Account("alice@localhost").Keys, account.Keys);
            var rosters = new SqliteRosterStore(db);
            Samples.AssertItemEqual(item, await rosters.GetAsync("alice@localhost", "bob@localhost"));
            Assert.AreEqual(version, await rosters.GetVersionAsync("alice@localhost"));
            var message = (await new SqliteOfflineStore(db).PeekAllAsync("alice@localhost")).Single();
            Assert.AreEqual("<message/>", message.StanzaXml);
            Assert.AreEqual(Samples.Instant, message.StoredAt);
        }
    }

    [TestMethod]
    [Timeout(60_000)]
    public async Task TwoHandlesOnOneFile_ParallelWrites_NoneLost()
    {
        // Two handles do not share the in-process write lock, like two processes: this leans
        // on SQLite's own locking and busy_timeout.
        using var directory = new TempDirectory();
        using var first = SqliteDatabase.Open(directory.File("data.db"));
        using var second = SqliteDatabase.Open(directory.File("data.db"));
        var stores = new[] { new SqliteRosterStore(first), new SqliteRosterStore(second) };

        var versions = await Concurrently.RunAsync(50, i =>
            stores[i % 2].SetAsync("alice@localhost", Samples.Item($"contact{i}@localhost")));

        Assert.AreEqual(50, versions.Distinct().Count());
        Assert.AreEqual(50, await stores[0].CountAsync("alice@localhost"));
    }

    [TestMethod]
    public async Task Dispose_ThenUse_ThrowsObjectDisposed()
    {
        using var directory = new TempDirectory();
        var db = SqliteDatabase.Open(directory.File("data.db"));
        var accounts = new SqliteAccountStore(db);

        db.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => accounts.FindAsync("alice@localhost"));
    }
}
