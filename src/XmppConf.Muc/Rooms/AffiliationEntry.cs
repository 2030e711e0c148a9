namespace XmppConf.Muc.Rooms;

/// <summary>
/// A user's affiliation with a room (XEP-0045 §5.2), with the reason given when it was set
/// (§9.1) and the nick reserved for them, if any (§7.10).
/// </summary>
internal sealed record AffiliationEntry(Affiliation Affiliation, string? Reason = null, string? Nick = null);
