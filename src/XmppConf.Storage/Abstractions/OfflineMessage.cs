namespace XmppConf.Storage.Abstractions;

/// <summary>A queued message stanza for an offline user; Id is unique within the store and grows with time of storing.</summary>
public sealed record OfflineMessage(long Id, string ToBareJid, string StanzaXml, DateTimeOffset StoredAt);
