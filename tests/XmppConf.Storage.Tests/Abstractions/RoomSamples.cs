using XmppConf.Storage.Abstractions;

namespace XmppConf.Storage.Tests.Abstractions;

/// <summary>Room and occupant builders, and a field-by-field room comparison (records compare lists by reference).</summary>
internal static class RoomSamples
{
    public const string Lobby = "lobby@conference.localhost";

    public static StoredRoom Room(string roomJid = Lobby, params StoredAffiliation[] affiliations) => new(
        roomJid,
        """{"name":"Lobby","persistent":true}""",
        affiliations,
        Subject: null,
        SubjectNick: null,
        SubjectAt: null,
        CreatedAt: Samples.Instant);

    public static OccupantEntry Occupant(string roomJid, string realJid, string nick = "nick", string node = "node-a", string role = "participant") =>
        new(roomJid, nick, realJid, node, role, "none", Samples.Instant);

    public static void AssertRoomEqual(StoredRoom expected, StoredRoom? actual)
    {
        Assert.IsNotNull(actual, $"no room {expected.RoomJid}");
        Assert.AreEqual(expected with { Affiliations = [] }, actual with { Affiliations = [] }, "scalar fields");
        CollectionAssert.AreEqual(expected.Affiliations.ToArray(), actual.Affiliations.ToArray(), "affiliations");
    }
}
