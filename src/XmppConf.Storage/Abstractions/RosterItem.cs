namespace XmppConf.Storage.Abstractions;

/// <summary>
/// One roster entry of an owner. <paramref name="PendingOut"/> is the 'ask' state (RFC 6121
/// §2.1.2.2); <paramref name="PendingIn"/> remembers an inbound subscription request not yet
/// answered, with the stanza to redeliver in <paramref name="PendingInStanza"/> (RFC 6121
/// §3.1.3); <paramref name="PreApproved"/> is RFC 6121 §3.4.
/// <paramref name="InRoster"/> = false marks an item that exists only to remember an inbound
/// request or a pre-approval: the server hides it from roster gets and pushes.
/// </summary>
public sealed record RosterItem(
    string ContactJid,
    string? Name,
    SubscriptionState Subscription,
    bool PendingOut,
    bool PendingIn,
    bool PreApproved,
    bool InRoster,
    IReadOnlyList<string> Groups,
    string? PendingInStanza = null);
