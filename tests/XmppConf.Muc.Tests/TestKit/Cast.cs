namespace XmppConf.Muc.Tests.TestKit;

/// <summary>The real JIDs of the moderation tests' cast (<see cref="MucHarness.RoomWithBobAndCarolAsync"/>).</summary>
internal static class Cast
{
    public const string Owner = "owner@example.org/a";
    public const string Bob = "bob@example.org/b";
    public const string Carol = "carol@example.org/c";
}
