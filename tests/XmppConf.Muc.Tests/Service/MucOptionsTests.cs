using XmppConf.Muc.Service;

namespace XmppConf.Muc.Tests.Service;

[TestClass]
public sealed class MucOptionsTests
{
    [TestMethod]
    public void Validate_Defaults_Valid() => Assert.AreEqual(0, new MucOptions().Validate().Count);

    [TestMethod]
    [DataRow("Subdomain")]
    [DataRow("DefaultHistoryLength")]
    [DataRow("DefaultMaxUsers")]
    [DataRow("RoomMailboxCapacity")]
    [DataRow("DiscoItemsPageSize")]
    public void Validate_BadValue_Reported(string setting)
    {
        var options = new MucOptions();
        switch (setting)
        {
            case "Subdomain": options.Subdomain = "a/b"; break;
            case "DefaultHistoryLength": options.DefaultHistoryLength = 500; break;
            case "DefaultMaxUsers": options.DefaultMaxUsers = 5000; break;
            case "RoomMailboxCapacity": options.RoomMailboxCapacity = 0; break;
            case "DiscoItemsPageSize": options.DiscoItemsPageSize = 0; break;
        }

        Assert.AreEqual(1, options.Validate().Count, string.Join("; ", options.Validate()));
    }

    [TestMethod]
    public async Task MucService_Domain_IsSubdomainDotServer()
    {
        await using var service = new MucService("example.org", new MucOptions { Subdomain = "rooms" }, new TestKit.RecordingSink(),
            new XmppConf.Storage.InMemory.InMemoryRoomStore(), new XmppConf.Storage.InMemory.InMemoryOccupancyTable(), _ => false, "n1");

        Assert.AreEqual("rooms.example.org", service.Domain);
    }
}
