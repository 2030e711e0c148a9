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
/// server can reach is its own. State lives in the two rosters; each change is pushed.
/// </summary>
internal sealed class SubscriptionService(IRosterStore store, RosterPushes pushes, LocalDelivery delivery, AccountService accounts, IOptions<ServerOptions> server)
{
    private static readonly XName PresenceName = XName.Get("presence", Ns.Client);
    private readonly string _domain = server.Value.Domain;

    public async Task HandleOutboundAsync(Jid user, string type, Jid contact, CancellationToken ct)
    {
        // Subscribing to oneself is implicit (RFC 6121 §3.1.1 note); other domains are unreachable without s2s.
        if (contact.Equals(user) || contact.Local is null || contact.Domain != _domain) return;
        switch (type)
        {
            case "subscribe": await SubscribeAsync(user, contact, ct).ConfigureAwait(false); break;
            case "subscribed": await ApproveAsync(user, contact, ct).ConfigureAwait(false); break;
            case "unsubscribe": await UnsubscribeAsync(user, contact, ct).ConfigureAwait(false); break;
            case "unsubscribed": await CancelAsync(user, contact, ct).ConfigureAwait(false); break;
        }
    }

    /// <summary>RFC 6121 §2.5.2: removing an item cancels the subscriptions both ways first.</summary>
    public async Task<StanzaError?> RemoveContactAsync(ClientSession sender, Jid contact, CancellationToken ct)
    {
        var user = sender.User!;
        var item = await store.GetAsync(user.ToString(), contact.ToString(), ct).ConfigureAwait(false);
        if (item is null) return StanzaError.ItemNotFound();
        if (contact.Domain == _domain && contact.Local is not null)
        {
            if (item.Subscription.HasFlag(SubscriptionState.To) || item.PendingOut) await UnsubscribeAsync(user, contact, ct).ConfigureAwait(false);
            if (item.Subscription.HasFlag(SubscriptionState.From) || item.PendingIn) await CancelAsync(user, contact, ct).ConfigureAwait(false);
        }
        var version = await store.RemoveAsync(user.ToString(), contact.ToString(), ct).ConfigureAwait(false);
        pushes.Push(user, null, contact.ToString(), version);
        return null;
    }

    private async Task SubscribeAsync(Jid user, Jid contact, CancellationToken ct)
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
        var request = SubscriptionPresence("subscribe", user, contact);
        await SaveAsync(contact, contactItem with { PendingIn = true, PendingInStanza = request.ToString(SaveOptions.DisableFormatting) }, ct).ConfigureAwait(false);
        // Offline contacts see the request at their next initial presence (PresenceService).
        delivery.ToAvailableResources(contact, request);
    }

    /// <summary>The contact (sender) approves the user's request, or pre-approves one.</summary>
    private async Task ApproveAsync(Jid contact, Jid user, CancellationToken ct)
    {
        var item = await GetAsync(contact, user, ct).ConfigureAwait(false);
        if (item.Subscription.HasFlag(SubscriptionState.From)) return;
        if (!item.PendingIn)
        {
            await SaveAsync(contact, item with { PreApproved = true, InRoster = true }, ct).ConfigureAwait(false);
            return;
        }
        await SaveAsync(contact, item with { Subscription = item.Subscription | SubscriptionState.From, PendingIn = false, PendingInStanza = null, InRoster = true }, ct).ConfigureAwait(false);
        await InboundApprovedAsync(user, contact, ct).ConfigureAwait(false);
        SendCurrentPresence(contact, user);
    }

    /// <summary>The user (sender) cancels their subscription to the contact.</summary>
    private async Task UnsubscribeAsync(Jid user, Jid contact, CancellationToken ct)
    {
        var item = await GetAsync(user, contact, ct).ConfigureAwait(false);
        if (item.Subscription.HasFlag(SubscriptionState.To) || item.PendingOut)
        {
            await SaveAsync(user, item with { Subscription = item.Subscription & ~SubscriptionState.To, PendingOut = false }, ct).ConfigureAwait(false);
        }
        var contactItem = await GetAsync(contact, user, ct).ConfigureAwait(false);
        if (!contactItem.Subscription.HasFlag(SubscriptionState.From) && !contactItem.PendingIn) return;
        await SaveAsync(contact, contactItem with { Subscription = contactItem.Subscription & ~SubscriptionState.From, PendingIn = false, PendingInStanza = null }, ct).ConfigureAwait(false);
        delivery.ToAvailableResources(contact, SubscriptionPresence("unsubscribe", user, contact));
        SendUnavailable(contact, user);
    }

    /// <summary>The contact (sender) cancels or denies the user's subscription.</summary>
    private async Task CancelAsync(Jid contact, Jid user, CancellationToken ct)
    {
        var item = await GetAsync(contact, user, ct).ConfigureAwait(false);
        var hadFrom = item.Subscription.HasFlag(SubscriptionState.From);
        if (hadFrom || item.PendingIn || item.PreApproved)
        {
            await SaveAsync(contact, item with { Subscription = item.Subscription & ~SubscriptionState.From, PendingIn = false, PreApproved = false, PendingInStanza = null }, ct).ConfigureAwait(false);
        }
        if (hadFrom) SendUnavailable(contact, user);
        await InboundCancelledAsync(user, contact, ct).ConfigureAwait(false);
    }

    private async Task InboundApprovedAsync(Jid user, Jid contact, CancellationToken ct)
    {
        var item = await GetAsync(user, contact, ct).ConfigureAwait(false);
        // §3.1.6: without a pending request the approval is ignored.
        if (!item.PendingOut) return;
        await SaveAsync(user, item with { Subscription = item.Subscription | SubscriptionState.To, PendingOut = false }, ct).ConfigureAwait(false);
        delivery.ToAvailableResources(user, SubscriptionPresence("subscribed", contact, user));
    }

    private async Task InboundCancelledAsync(Jid user, Jid contact, CancellationToken ct)
    {
        var item = await GetAsync(user, contact, ct).ConfigureAwait(false);
        if (!item.Subscription.HasFlag(SubscriptionState.To) && !item.PendingOut) return;
        await SaveAsync(user, item with { Subscription = item.Subscription & ~SubscriptionState.To, PendingOut = false }, ct).ConfigureAwait(false);
        delivery.ToAvailableResources(user, SubscriptionPresence("unsubscribed", contact, user));
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
