namespace XmppConf.Storage.Abstractions;

/// <summary>
/// The durable part of a persistent room (XEP-0045 §10.1.3 muc#roomconfig_persistentroom):
/// its configuration, affiliations and subject. <paramref name="ConfigJson"/> is opaque to
/// storage, so the MUC service can evolve its configuration record without a migration.
/// <paramref name="RoomJid"/> is the bare room JID, normalised by the caller.
/// </summary>
public sealed record StoredRoom(
    string RoomJid,
    string ConfigJson,
    IReadOnlyList<StoredAffiliation> Affiliations,
    string? Subject,
    string? SubjectNick,
    DateTimeOffset? SubjectAt,
    DateTimeOffset CreatedAt);
