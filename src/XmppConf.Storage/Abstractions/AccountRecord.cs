namespace XmppConf.Storage.Abstractions;

/// <summary>A local account: its bare JID (normalised by the caller) and one SCRAM key set per hash.</summary>
public sealed record AccountRecord(string BareJid, IReadOnlyList<StoredScramKey> Keys, DateTimeOffset CreatedAt);
