using XmppConf.Storage.Abstractions;
using XmppConf.Storage.InMemory;
using XmppConf.Storage.Tests.Abstractions;

namespace XmppConf.Storage.Tests.InMemory;

[TestClass]
public sealed class InMemoryOccupancyTableTests : OccupancyTableContract
{
    protected override IOccupancyTable CreateTable() => new InMemoryOccupancyTable();

    [TestMethod]
    public async Task GetRoomAsync_NoChangeBetweenCalls_ReturnsSameSnapshotWithoutCopying()
    {
        await Table.SetAsync(RoomSamples.Occupant(RoomSamples.Lobby, "alice@localhost/phone"));

        var first = await Table.GetRoomAsync(RoomSamples.Lobby);
        var second = await Table.GetRoomAsync(RoomSamples.Lobby);
        await Table.SetAsync(RoomSamples.Occupant(RoomSamples.Lobby, "bob@localhost/phone"));
        var third = await Table.GetRoomAsync(RoomSamples.Lobby);

        Assert.AreSame(first, second);
        Assert.AreEqual(1, first.Count, "a published snapshot never changes");
        Assert.AreEqual(2, third.Count);
    }
}
