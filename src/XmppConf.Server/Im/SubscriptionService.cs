using System.Xml.Linq;
using Microsoft.Extensions.Options;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Server.Accounts;
using XmppConf.Server.Options;
using XmppConf.Server.Routing;
using XmppConf.Server.Sessions;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Server.Im;

/// <summary>
/// Presence subscriptions (RFC 6121 §3): both sides of each transition, since every account this
/// server can reach is its own. State lives in the two rosters; each change is pushed. A transition
/// reads and writes both rosters, so transitions on one pair of accounts take turns (a striped lock
/// by the pair) and, once started, run to the end even if the sender's session goes away.
/// </summary>
internal sealed class SubscriptionService(IRosterStore store, RosterPushes pushes, LocalDelivery delivery, AccountService accounts, IOptions<ServerOptions> server)
{
    private static readonly XName PresenceName = XName.Get("presence", Ns.Client);
    private readonly string _domain = server.Value.Domain;
    private readonly StripedLock _pairs = new(64);

    /// <summary>
    /// A subscription stanza from a client (RFC 6121 §3), 'from' already stamped; returns an error to
    /// bounce, if any. What reaches the contact is the client's own stanza (keeping &lt;status/&gt;,
    /// XEP-0172 &lt;nick/&gt; …), stamped with both bare JIDs (§3.1.2).
    /// </summary>
    public async Task<StanzaError?> HandleOutboundAsync(Jid user, XElement stanza, string type, Jid contact, CancellationToken ct)
    {
        // Without server-to-server, another domain cannot be reached (RFC 6120 §8.3.3.16).
        if (contact.Domain != _domain) return StanzaError.RemoteServerNotFound("This server does not federate.");
        // Subscribing to oneself is implicit (RFC 6121 §3.1.1 note); the server itself has no presence to share.
        if (contact.Equals(user) || contact.Local is null) return null;
        var forward = new XElement(stanza);
        forward.SetAttributeValue("from", user.ToString());
        forward.SetAttributeValue("to", contact.ToString());
        using var _ = await _pairs.AcquireAsync(_pairs.StripeOf(user.ToString(), contact.ToString()), ct).ConfigureAwait(false);
        // From here both rosters change together: not cancellable, so no half transition is left behind.
        var none = CancellationToken.None;
        switch (type)
        {
            case "subscribe": await SubscribeAsync(user, contact, forward, none).ConfigureAwait(false); break;
            case "subscribed": await ApproveAsync(user, contact, forward, none).ConfigureAwait(false); break;
            case "unsubscribe": await UnsubscribeAsync(user, contact, forward, none).ConfigureAwait(false); break;
            case "unsubscribed": await CancelAsync(user, contact, forward, none).ConfigureAwait(false); break;
        }
        return null;
    }

    /// <summary>
    /// Serialises a roster set with the subscription transitions of the same item (the pair's stripe)
    /// and with the owner's other roster sets (the owner's stripe), taken in index order.
    /// </summary>
    public ValueTask<StripedLock.Releaser> LockRosterItemAsync(Jid owner, Jid contact, CancellationToken ct) =>
        _pairs.AcquireAsync(_pairs.StripeOf(owner.ToString()), _pairs.StripeOf(owner.ToString(), contact.ToString()), ct);

    /// <summary>RFC 6121 §2.5.2: removing an item cancels the subscriptions both ways first.</summary>
    public async Task<StanzaError?> RemoveContactAsync(ClientSession sender, Jid contact, CancellationToken ct)
    {
        var user = sender.User!;
        using var _ = await _pairs.AcquireAsync(_pairs.StripeOf(user.ToString(), contact.ToString()), ct).ConfigureAwait(false);
        var none = CancellationToken.None;
        var item = await store.GetAsync(user.ToString(), contact.ToString(), none).ConfigureAwait(false);
        if (item is null) return StanzaError.ItemNotFound();
        if (contact.Domain == _domain && contact.Local is not null)
        {
            if (item.Subscription.HasFlag(SubscriptionState.To) || item.PendingOut)
            {
                await UnsubscribeAsync(user, contact, SubscriptionPresence("unsubscribe", user, contact), none).ConfigureAwait(false);
            }
            if (item.Subscription.HasFlag(SubscriptionState.From) || item.PendingIn)
            {
                await CancelAsync(user, contact, SubscriptionPresence("unsubscribed", user, contact), none).ConfigureAwait(false);
            }
        }
        var version = await store.RemoveAsync(user.ToString(), contact.ToString(), none).ConfigureAwait(false);
        pushes.Push(user, null, contact.ToString(), version);
        return null;
    }

    private async Task SubscribeAsync(Jid user, Jid contact, XElement request, CancellationToken ct)
    {
        var item = await GetAsync(user, contact, ct).ConfigureAwait(false);
        if (!item.Subscription.HasFlag(SubscriptionState.To) && !(item.PendingOut && item.InRoster))
        {
            await SaveAsync(user, item with { PendingOut = true, InRoster = true }, ct).ConfigureAwait(false);
        }
        if (!await accounts.ExistsAsync(contact, ct).ConfigureAwait(false))
        {
            // §3.1.3: a subscription to a non-existent account is answered with unsubscribed.
            await InboundCancelledAsync(user, contact, ct).ConfigureAwait(false);
            return;
        }
        var contactItem = await GetAsync(contact, user, ct).ConfigureAwait(false);
        if (contactItem.Subscription.HasFlag(SubscriptionState.From))
        {
            // §3.1.3: already approved — the contact's server answers for the contact.
            await InboundApprovedAsync(user, contact, ct).ConfigureAwait(false);
            return;
        }
        if (contactItem.PreApproved)
        {
            // §3.4: pre-approved subscriptions complete without asking the contact.
            await SaveAsync(contact, contactItem with { Subscription = contactItem.Subscription | SubscriptionState.From, PreApproved = false, PendingIn = false, PendingInStanza = null, InRoster = true }, ct).ConfigureAwait(false);
            await InboundApprovedAsync(user, contact, ct).ConfigureAwait(false);
            SendCurrentPresence(contact, user);
            return;
        }
        await SaveAsync(contact, contactItem with { PendingIn = true, PendingInStanza = request.ToString(SaveOptions.DisableFormatting) }, ct).ConfigureAwait(false);
        // Offline contacts see the request at their next initial presence (PresenceService).
        delivery.ToAvailableResources(contact, request);
    }

    /// <summary>The contact (sender) approves the user's request, or pre-approves one.</summary>
    private async Task ApproveAsync(Jid contact, Jid user, XElement approval, CancellationToken ct)
    {
        var item = await GetAsync(contact, user, ct).ConfigureAwait(false);
        if (item.Subscription.HasFlag(SubscriptionState.From)) return;
        if (!item.PendingIn)
        {
            await SaveAsync(contact, item with { PreApproved = true, InRoster = true }, ct).ConfigureAwait(false);
            return;
        }
        await SaveAsync(contact, item with { Subscription = item.Subscription | SubscriptionState.From, PendingIn = false, PendingInStanza = null, InRoster = true }, ct).ConfigureAwait(false);
        await InboundApprovedAsync(user, contact, ct, approval).ConfigureAwait(false);
        SendCurrentPresence(contact, user);
    }

    /// <summary>The user (sender) cancels their subscription to the contact.</summary>
    private async Task UnsubscribeAsync(Jid user, Jid contact, XElement unsubscribe, CancellationToken ct)
    {
        var item = await GetAsync(user, contact, ct).ConfigureAwait(false);
        if (item.Subscription.HasFlag(SubscriptionState.To) || item.PendingOut)
        {
            await SaveAsync(user, item with { Subscription = item.Subscription & ~SubscriptionState.To, PendingOut = false }, ct).ConfigureAwait(false);
        }
        var contactItem = await GetAsync(contact, user, ct).ConfigureAwait(false);
        if (!contactItem.Subscription.HasFlag(SubscriptionState.From) && !contactItem.PendingIn) return;
        await SaveAsync(contact, contactItem with { Subscription = contactItem.Subscription & ~SubscriptionState.From, PendingIn = false, PendingInStanza = null }, ct).ConfigureAwait(false);
        delivery.ToAvailableResources(contact, unsubscribe);
        SendUnavailable(contact, user);
    }

    /// <summary>The contact (sender) cancels or denies the user's subscription.</summary>
    private async Task CancelAsync(Jid contact, Jid user, XElement unsubscribed, CancellationToken ct)
    {
        var item = await GetAsync(contact, user, ct).ConfigureAwait(false);
        var hadFrom = item.Subscription.HasFlag(SubscriptionState.From);
        if (hadFrom || item.PendingIn || item.PreApproved)
        {
            await SaveAsync(contact, item with { Subscription = item.Subscription & ~SubscriptionState.From, PendingIn = false, PreApproved = false, PendingInStanza = null }, ct).ConfigureAwait(false);
        }
        if (hadFrom) SendUnavailable(contact, user);
        await InboundCancelledAsync(user, contact, ct, unsubscribed).ConfigureAwait(false);
    }

    /// <summary>The contact's approval reaches the user: the contact's own stanza, or one the server answers with for it.</summary>
    private async Task InboundApprovedAsync(Jid user, Jid contact, CancellationToken ct, XElement? approval = null)
    {
        var item = await GetAsync(user, contact, ct).ConfigureAwait(false);
        // §3.1.6: without a pending request the approval is ignored.
        if (!item.PendingOut) return;
        await SaveAsync(user, item with { Subscription = item.Subscription | SubscriptionState.To, PendingOut = false }, ct).ConfigureAwait(false);
        delivery.ToAvailableResources(user, approval ?? SubscriptionPresence("subscribed", contact, user));
    }

    private async Task InboundCancelledAsync(Jid user, Jid contact, CancellationToken ct, XElement? cancellation = null)
    {
        var item = await GetAsync(user, contact, ct).ConfigureAwait(false);
        if (!item.Subscription.HasFlag(SubscriptionState.To) && !item.PendingOut) return;
        await SaveAsync(user, item with { Subscription = item.Subscription & ~SubscriptionState.To, PendingOut = false }, ct).ConfigureAwait(false);
        delivery.ToAvailableResources(user, cancellation ?? SubscriptionPresence("unsubscribed", contact, user));
    }

    /// <summary>§3.1.5: after approval the user receives the contact's current presence from each resource.</summary>
    private void SendCurrentPresence(Jid contact, Jid user)
    {
        foreach (var session in delivery.Sessions.ForAccount(contact))
        {
            if (session.Presence.LastAvailable is not { } presence) continue;
            var copy = new XElement(presence);
            copy.SetAttributeValue("to", user.ToString());
            delivery.ToAvailableResources(user, copy);
        }
    }

    /// <summary>§3.2.2 / §3.3.3: the ex-subscriber learns the contact went unavailable for them.</summary>
    private void SendUnavailable(Jid contact, Jid user)
    {
        foreach (var session in delivery.Sessions.ForAccount(contact))
        {
            if (!session.Presence.IsAvailable || session.FullJid is null) continue;
            delivery.ToAvailableResources(user, new XElement(PresenceName,
                new XAttribute("type", "unavailable"), new XAttribute("from", session.FullJid.ToString()), new XAttribute("to", user.ToString())));
        }
    }

    private static XElement SubscriptionPresence(string type, Jid from, Jid to) =>
        new(PresenceName, new XAttribute("type", type), new XAttribute("from", from.ToString()), new XAttribute("to", to.ToString()));

    private async Task<RosterItem> GetAsync(Jid owner, Jid contact, CancellationToken ct) =>
        await store.GetAsync(owner.ToString(), contact.ToString(), ct).ConfigureAwait(false)
        ?? new RosterItem(contact.ToString(), null, SubscriptionState.None, false, false, false, false, []);

    /// <summary>Stores the item and pushes it; a hidden item with nothing left to remember is deleted.</summary>
    private async Task SaveAsync(Jid owner, RosterItem item, CancellationToken ct)
    {
        long version;
        if (!item.InRoster && item.Subscription == SubscriptionState.None && !item.PendingIn && !item.PendingOut && !item.PreApproved)
        {
            version = await store.RemoveAsync(owner.ToString(), item.ContactJid, ct).ConfigureAwait(false);
            return;
        }
        version = await store.SetAsync(owner.ToString(), item, ct).ConfigureAwait(false);
        if (item.InRoster) pushes.Push(owner, item, item.ContactJid, version);
    }
}
