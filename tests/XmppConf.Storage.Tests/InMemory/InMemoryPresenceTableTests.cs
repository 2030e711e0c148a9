using XmppConf.Storage.Abstractions;
using XmppConf.Storage.InMemory;
using XmppConf.Storage.Tests.Abstractions;

namespace XmppConf.Storage.Tests.InMemory;

[TestClass]
public sealed class InMemoryPresenceTableTests : PresenceTableContract
{
    protected override IPresenceTable CreateTable() => new InMemoryPresenceTable();

    [TestMethod]
    public async Task GetSessionsAsync_NoChangeBetweenCalls_ReturnsSameSnapshotWithoutCopying()
    {
        await Table.TryAddAsync(Samples.Session("alice@localhost/phone"));

        var first = await Table.GetSessionsAsync("alice@localhost");
        var second = await Table.GetSessionsAsync("alice@localhost");
        await Table.TryAddAsync(Samples.Session("alice@localhost/laptop"));
        var third = await Table.GetSessionsAsync("alice@localhost");

        Assert.AreSame(first, second);
        Assert.AreEqual(1, first.Count, "a published snapshot never changes");
        Assert.AreEqual(2, third.Count);
    }
}
