namespace XmppConf.Storage.Abstractions;

/// <summary>The 'subscription' attribute of a roster item (RFC 6121 §2.1.2.5), as flags.</summary>
[Flags]
public enum SubscriptionState
{
    None = 0,
    /// <summary>The owner receives the contact's presence.</summary>
    To = 1,
    /// <summary>The contact receives the owner's presence.</summary>
    From = 2,
    Both = To | From,
}
