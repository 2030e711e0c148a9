namespace XmppConf.Storage.Abstractions;

/// <summary>
/// One bound resource: where it lives (<paramref name="NodeId"/>), its presence priority
/// (RFC 6121 §4.7.2.3), whether it sent available presence, and that presence as XML so other
/// nodes can answer probes. Plain strings and numbers so a shared table can serialise it.
/// </summary>
public sealed record SessionEntry(string FullJid, string NodeId, int Priority, bool Available, string? PresenceXml, DateTimeOffset BoundAt);
