namespace XmppConf.Muc.Features;

/// <summary>The features every room has. Add a feature here (and only here) to give it to all rooms.</summary>
internal static class BuiltInFeatures
{
    public static IEnumerable<IRoomFeature> All() =>
    [
        new RoomDiscoFeature(),
        new RoomInfoFeature(),
        new PublicRoomFeature(),
        new PersistenceFeature(),
        new RoomLockFeature(),
        new BanFeature(),
        new NickFeature(),
        new MembersOnlyFeature(),
        new PasswordFeature(),
        new MaxUsersFeature(),
        new ModeratedFeature(),
        new AnonymityFeature(),
        new LoggingFeature(),
        new HistoryFeature(),
        new SubjectFeature(),
        new InvitesFeature(),
        new PresenceBroadcastFeature(),
        new MemberListFeature(),
        new PrivateMessageFeature(),
        new StanzaIdFeature(),
        new OccupantIdFeature(),
        new SelfPingFeature(),
        new AffiliationListsFeature(),
        new OwnerConfigFeature(),
        new AdminListFeature(),
        new AdminChangeFeature(),
        new VoiceRequestFeature(),
        new DestroyFeature(),
        new RegistrationFeature(),
        new ReservedNickFeature(),
    ];
}
