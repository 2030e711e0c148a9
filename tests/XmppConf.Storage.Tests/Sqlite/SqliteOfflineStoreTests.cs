using XmppConf.Storage.Tests.Abstractions;

namespace XmppConf.Storage.Tests.Sqlite;

[TestClass]
public sealed class SqliteOfflineStoreTests : OfflineStoreContract
{
    protected override StoreSet OpenStores() => SqliteStores.Open();
}
