using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Muc.Service;
using XmppConf.Server.Options;

namespace XmppConf.Server.Tests.Options;

/// <summary>Start-up validation of the room limits (Muc:Occupant*, Muc:Room*, Muc:MaxNickLength; docs/security.md "Room limits").</summary>
[TestClass]
public sealed class MucLimitsOptionsTests
{
    [TestMethod]
    public void Muc_Defaults_Valid() => Assert.IsTrue(new MucOptionsValidator().Validate(null, new MucOptions()).Succeeded);

    [TestMethod]
    public void Muc_ZeroRatesAndCounts_MeanNoLimitAndAreValid()
    {
        var options = new MucOptions
        {
            OccupantMessagesPerSecond = 0,
            OccupantPresencesPerSecond = 0,
            RoomMessagesPerSecond = 0,
            RoomCreationsPerUserPerHour = 0,
            MaxRoomsJoinedPerUser = 0,
        };
        Assert.IsTrue(new MucOptionsValidator().Validate(null, options).Succeeded);
    }

    [TestMethod]
    [DataRow("OccupantMessagesPerSecond")]
    [DataRow("OccupantMessageBurst")]
    [DataRow("OccupantPresencesPerSecond")]
    [DataRow("OccupantPresenceBurst")]
    [DataRow("RoomMessagesPerSecond")]
    [DataRow("RoomCreationsPerUserPerHour")]
    [DataRow("MaxRoomsJoinedPerUser")]
    [DataRow("MaxNickLength")]
    public void Muc_BadLimit_NamesField(string field)
    {
        var options = new MucOptions();
        switch (field)
        {
            case "OccupantMessagesPerSecond": options.OccupantMessagesPerSecond = -1; break;
            case "OccupantMessageBurst": options.OccupantMessageBurst = 0; break;
            case "OccupantPresencesPerSecond": options.OccupantPresencesPerSecond = double.NaN; break;
            case "OccupantPresenceBurst": options.OccupantPresenceBurst = 0; break;
            case "RoomMessagesPerSecond": options.RoomMessagesPerSecond = double.PositiveInfinity; break;
            case "RoomCreationsPerUserPerHour": options.RoomCreationsPerUserPerHour = -1; break;
            case "MaxRoomsJoinedPerUser": options.MaxRoomsJoinedPerUser = -5; break;
            case "MaxNickLength": options.MaxNickLength = 0; break;
        }

        var result = new MucOptionsValidator().Validate(null, options);

        Assert.IsTrue(result.Failed, field);
        StringAssert.Contains(result.FailureMessage, "Muc:" + field);
        Assert.AreNotEqual(0, options.Validate().Count, "MucOptions.Validate agrees");
    }
}
