using XmppConf.Storage.Tests.Abstractions;
using XmppConf.Storage.Tests.Sqlite;

namespace XmppConf.Storage.Tests;

[TestClass]
public sealed class EmbeddedStorageTests
{
    [TestMethod]
    public async Task Open_DataDirectory_CreatesDatabaseFileThere()
    {
        using var directory = new TempDirectory();

        await using var stores = EmbeddedStorage.Open(directory.Path);

        Assert.IsTrue(File.Exists(Path.Combine(directory.Path, "xmppconf.db")));
        Assert.AreEqual(Path.GetFullPath(Path.Combine(directory.Path, "xmppconf.db")), stores.Database.FilePath);
    }

    [TestMethod]
    public async Task Open_ReopenSameDirectory_DurableDataSurvivesLiveDataDoesNot()
    {
        using var directory = new TempDirectory();
        await using (var stores = EmbeddedStorage.Open(directory.Path))
        {
            await stores.Accounts.CreateAsync(Samples.Account("alice@localhost"));
            await stores.Rosters.SetAsync("alice@localhost", Samples.Item("bob@localhost"));
            await stores.Offline.TryStoreAsync("alice@localhost", "<message/>", Samples.Instant, 10);
            await stores.Presence.TryAddAsync(Samples.Session("alice@localhost/phone"));
        }

        await using (var stores = EmbeddedStorage.Open(directory.Path))
        {
            CollectionAssert.AreEqual(new[] { "alice@localhost" }, (await stores.Accounts.ListAsync()).ToArray());
            Assert.AreEqual(1, await stores.Rosters.CountAsync("alice@localhost"));
            Assert.AreEqual(1, await stores.Offline.CountAsync("alice@localhost"));
            Assert.AreEqual(0, (await stores.Presence.GetSessionsAsync("alice@localhost")).Count, "sessions are live state");
        }
    }

    [TestMethod]
    public async Task Open_AccountDeleted_CascadesThroughSharedDatabase()
    {
        using var directory = new TempDirectory();
        await using var stores = EmbeddedStorage.Open(directory.Path);
        await stores.Accounts.CreateAsync(Samples.Account("alice@localhost"));
        await stores.Rosters.SetAsync("alice@localhost", Samples.Item("bob@localhost"));
        await stores.Offline.TryStoreAsync("alice@localhost", "<message/>", Samples.Instant, 10);

        await stores.Accounts.DeleteAsync("alice@localhost");

        Assert.AreEqual(0, await stores.Rosters.CountAsync("alice@localhost"));
        Assert.AreEqual(0, await stores.Offline.CountAsync("alice@localhost"));
    }
}
