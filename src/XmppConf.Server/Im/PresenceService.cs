using System.Globalization;
using System.Xml.Linq;
using Microsoft.Extensions.Options;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Server.Options;
using XmppConf.Server.Routing;
using XmppConf.Server.Sessions;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Server.Im;

/// <summary>
/// Presence (RFC 6121 §4): broadcast to subscribers and the user's own resources, probes on
/// initial presence, directed presence with unavailable on leave, and the hand-over of queued
/// subscription requests and offline messages when a session becomes available.
/// </summary>
internal sealed class PresenceService(
    IRosterStore roster,
    IPresenceTable table,
    LocalDelivery delivery,
    SubscriptionService subscriptions,
    OfflineMessageService offline,
    ComponentRegistry components,
    NodeIdentity node,
    IOptions<ServerOptions> server)
{
    // Directed-presence targets one session remembers (RFC 6121 §4.6); a bound on per-session memory.
    private const int MaxDirectedTargets = 1000;
    private static readonly XName PresenceName = XName.Get("presence", Ns.Client);
    private readonly string _domain = server.Value.Domain;

    /// <summary>A presence stanza from a client, 'from' already stamped; returns an error to bounce, if any.</summary>
    public async Task<StanzaError?> HandleOutboundAsync(ClientSession session, XElement presence, Jid? to, CancellationToken ct)
    {
        var type = presence.Attribute("type")?.Value;
        switch (type)
        {
            case "subscribe" or "subscribed" or "unsubscribe" or "unsubscribed":
                if (to is null) return StanzaError.BadRequest("Subscription requests need a 'to'.");
                // Components keep no rosters; subscription presence to them is not meaningful here (as before).
                if (components.Find(to.Domain) is not null) return null;
                // RFC 6121 §3.1.2: subscription presence is stamped with the bare JID.
                return await subscriptions.HandleOutboundAsync(session.User!, presence, type, to.Bare, ct).ConfigureAwait(false);
            case "probe":
                if (to is not null) await AnswerProbeAsync(session, to.Bare, ct).ConfigureAwait(false);
                return null;
            case null or "unavailable":
                if (!TryReadPriority(presence, out var priority)) return StanzaError.BadRequest("Priority must be an integer from -128 to 127.");
                if (to is null)
                {
                    await BroadcastAsync(session, presence, type is null, priority, ct).ConfigureAwait(false);
                }
                else
                {
                    return await DirectedAsync(session, presence, to, type is null, ct).ConfigureAwait(false);
                }
                return null;
            case "error":
                if (to is not null) await SendDirectedAsync(presence, session.FullJid!, to, ct).ConfigureAwait(false);
                return null;
            default:
                return StanzaError.BadRequest("Unknown presence type.");
        }
    }

    /// <summary>The session ended: unavailable to everyone who saw it available (RFC 6121 §4.5.1).</summary>
    public async Task OnSessionEndedAsync(ClientSession session)
    {
        if (!session.Presence.IsAvailable && !session.Presence.HasDirected) return;
        var unavailable = new XElement(PresenceName, new XAttribute("type", "unavailable"), new XAttribute("from", session.FullJid!.ToString()));
        await BroadcastAsync(session, unavailable, available: false, 0, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task BroadcastAsync(ClientSession session, XElement presence, bool available, int priority, CancellationToken ct)
    {
        var user = session.User!;
        var wasAvailable = session.Presence.IsAvailable;
        var previousPriority = session.Presence.Priority;
        if (!available && !wasAvailable && !session.Presence.HasDirected) return;
        session.Presence.Priority = priority;
        session.Presence.LastAvailable = available ? presence : null;
        var items = await roster.GetAllAsync(user.ToString(), ct).ConfigureAwait(false);
        foreach (var item in items)
        {
            if (!item.Subscription.HasFlag(SubscriptionState.From)) continue;
            if (Jid.TryParse(item.ContactJid, out var contact)) delivery.ToAvailableResources(contact, WithTo(presence, contact));
        }
        // §4.2.2 / §4.4.2: the user's own available resources, including the sender for available presence.
        delivery.ToAvailableResources(user, WithTo(presence, user));
        if (!available)
        {
            var directed = session.Presence.TakeDirected();
            foreach (var target in directed) await SendDirectedAsync(WithTo(presence, target), session.FullJid!, target, ct).ConfigureAwait(false);
        }
        await table.UpdateAsync(new SessionEntry(session.FullJid!.ToString(), node.Id, priority, available,
            available ? presence.ToString(SaveOptions.DisableFormatting) : null, DateTimeOffset.UtcNow), ct).ConfigureAwait(false);
        if (!available) return;
        if (!wasAvailable)
        {
            // Initial presence: probe contacts we are subscribed to, replay pending requests.
            foreach (var item in items)
            {
                if (item.Subscription.HasFlag(SubscriptionState.To) && Jid.TryParse(item.ContactJid, out var contact))
                {
                    SendPresenceOf(contact, session);
                }
                if (item.PendingIn) session.Deliver(PendingRequest(item, user));
            }
            // RFC 6121 §4.2.2: the new resource also learns the presence of the user's other available resources.
            // Sent after our own presence is visible, so two resources coming up at once each see the other.
            SendPresenceOf(user, session);
        }
        // XEP-0160: offline messages go to a session once it is available with non-negative priority,
        // at initial presence or when it later raises its priority from negative.
        if (priority >= 0 && (!wasAvailable || previousPriority < 0)) await offline.DeliverAsync(session, ct).ConfigureAwait(false);
    }

    private async Task<StanzaError?> DirectedAsync(ClientSession session, XElement presence, Jid to, bool available, CancellationToken ct)
    {
        // Without server-to-server another domain cannot be reached, so it is neither sent to nor remembered.
        if (to.Domain != _domain && components.Find(to.Domain) is null) return StanzaError.RemoteServerNotFound("This server does not federate.");
        if (available)
        {
            // RFC 6121 §4.6: remember who got directed presence so they hear about unavailability too.
            if (!session.Presence.AddDirected(to, MaxDirectedTargets)) return StanzaError.PolicyViolation("Too many directed presence targets.");
        }
        else
        {
            session.Presence.RemoveDirected(to);
        }
        await SendDirectedAsync(presence, session.FullJid!, to, ct).ConfigureAwait(false);
        return null;
    }

    private async Task SendDirectedAsync(XElement presence, Jid from, Jid to, CancellationToken ct)
    {
        if (components.Find(to.Domain) is { } component)
        {
            await component.RouteAsync(presence, from, to, ct).ConfigureAwait(false);
        }
        else if (to.IsBare)
        {
            delivery.ToAvailableResources(to, presence);
        }
        else
        {
            delivery.ToFull(to, presence);
        }
    }

    /// <summary>A client may probe a contact it is subscribed to; the server answers for the contact.</summary>
    private async Task AnswerProbeAsync(ClientSession session, Jid contact, CancellationToken ct)
    {
        var item = await roster.GetAsync(session.User!.ToString(), contact.ToString(), ct).ConfigureAwait(false);
        if (item is not null && item.Subscription.HasFlag(SubscriptionState.To)) SendPresenceOf(contact, session);
    }

    private void SendPresenceOf(Jid contact, ClientSession to)
    {
        foreach (var contactSession in delivery.Sessions.ForAccount(contact))
        {
            if (ReferenceEquals(contactSession, to)) continue;
            if (contactSession.Presence.LastAvailable is { } last) to.Deliver(WithTo(last, to.FullJid!));
        }
    }

    private static XElement PendingRequest(RosterItem item, Jid user)
    {
        if (item.PendingInStanza is { } xml)
        {
            try { return XElement.Parse(xml); }
            catch (System.Xml.XmlException) { /* rebuilt below */ }
        }
        return new XElement(PresenceName, new XAttribute("type", "subscribe"), new XAttribute("from", item.ContactJid), new XAttribute("to", user.ToString()));
    }

    private static XElement WithTo(XElement presence, Jid to)
    {
        var copy = new XElement(presence);
        copy.SetAttributeValue("to", to.ToString());
        return copy;
    }

    /// <summary>RFC 6121 §4.7.2.3: priority is an integer from -128 to +127, default 0.</summary>
    private static bool TryReadPriority(XElement presence, out int priority)
    {
        priority = 0;
        var element = presence.Element(XName.Get("priority", Ns.Client));
        if (element is null) return true;
        return int.TryParse(element.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out priority) && priority is >= -128 and <= 127;
    }
}
