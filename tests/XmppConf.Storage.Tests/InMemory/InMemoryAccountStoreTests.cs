using XmppConf.Storage.Tests.Abstractions;

namespace XmppConf.Storage.Tests.InMemory;

[TestClass]
public sealed class InMemoryAccountStoreTests : AccountStoreContract
{
    protected override StoreSet OpenStores() => InMemoryStores.Open();
}
