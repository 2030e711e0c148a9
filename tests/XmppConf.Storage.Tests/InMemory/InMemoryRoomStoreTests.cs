using XmppConf.Storage.Abstractions;
using XmppConf.Storage.InMemory;
using XmppConf.Storage.Tests.Abstractions;

namespace XmppConf.Storage.Tests.InMemory;

[TestClass]
public sealed class InMemoryRoomStoreTests : RoomStoreContract
{
    protected override IRoomStore CreateStore() => new InMemoryRoomStore();
}
