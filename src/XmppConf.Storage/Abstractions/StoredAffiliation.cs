namespace XmppConf.Storage.Abstractions;

/// <summary>
/// One entry of a room's affiliation list (XEP-0045 §5.2): a bare JID and one of "owner",
/// "admin", "member", "outcast". <paramref name="Reason"/> is the reason given when it was set
/// (XEP-0045 §9.1); <paramref name="Nick"/> is the registered, reserved nick (XEP-0045 §7.10).
/// </summary>
public sealed record StoredAffiliation(string Jid, string Affiliation, string? Reason = null, string? Nick = null);
