using XmppConf.Storage.Tests.Abstractions;

namespace XmppConf.Storage.Tests.InMemory;

[TestClass]
public sealed class InMemoryRosterStoreTests : RosterStoreContract
{
    protected override StoreSet OpenStores() => InMemoryStores.Open();
}
