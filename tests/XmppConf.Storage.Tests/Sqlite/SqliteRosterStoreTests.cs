using XmppConf.Storage.Tests.Abstractions;

namespace XmppConf.Storage.Tests.Sqlite;

[TestClass]
public sealed class SqliteRosterStoreTests : RosterStoreContract
{
    protected override StoreSet OpenStores() => SqliteStores.Open();
}
