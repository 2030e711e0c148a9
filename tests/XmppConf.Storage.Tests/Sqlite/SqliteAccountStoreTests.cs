using XmppConf.Storage.Sqlite;
using XmppConf.Storage.Tests.Abstractions;

namespace XmppConf.Storage.Tests.Sqlite;

[TestClass]
public sealed class SqliteAccountStoreTests : AccountStoreContract
{
    private SqliteDatabase? _db;

    protected override StoreSet OpenStores() => SqliteStores.Open(out _db);

    [TestMethod]
    public async Task DeleteAsync_AccountWithData_LeavesNoRowsBehindInAnyTable()
    {
        await Accounts.CreateAsync(Samples.Account("alice@localhost"));
        await Stores.Rosters.SetAsync("alice@localhost", Samples.Item("bob@localhost", "Friends", "Work"));
        await Stores.Offline.TryStoreAsync("alice@localhost", "<message/>", Samples.Instant, 10);

        await Accounts.DeleteAsync("alice@localhost");

        foreach (var table in new[] { "accounts", "scram_keys", "roster_items", "roster_groups", "roster_versions", "offline_messages" })
        {
            Assert.AreEqual(0L, await SqliteScalar.LongAsync(_db!, $"SELECT COUNT(*) FROM {table};"), table);
        }
    }

    [TestMethod]
    public async Task UpdateKeysAsync_FewerKeySets_OldRowsRemoved()
    {
        await Accounts.CreateAsync(Samples.Account("alice@localhost"));

        await Accounts.UpdateKeysAsync("alice@localhost", [Samples.Key("SHA-256", 7)]);

        Assert.AreEqual(1L, await SqliteScalar.LongAsync(_db!, "SELECT COUNT(*) FROM scram_keys;"));
    }
}
