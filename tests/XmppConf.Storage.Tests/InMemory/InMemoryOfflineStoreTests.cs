using XmppConf.Storage.Tests.Abstractions;

namespace XmppConf.Storage.Tests.InMemory;

[TestClass]
public sealed class InMemoryOfflineStoreTests : OfflineStoreContract
{
    protected override StoreSet OpenStores() => InMemoryStores.Open();
}
