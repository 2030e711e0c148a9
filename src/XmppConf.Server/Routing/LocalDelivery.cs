using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Server.Accounts;
using XmppConf.Server.Im;
using XmppConf.Server.Sessions;

namespace XmppConf.Server.Routing;

/// <summary>Delivery to accounts on this server, following RFC 6121 §8.5 for each stanza kind.</summary>
internal sealed class LocalDelivery(LocalSessionTable sessions, AccountService accounts, OfflineMessageService offline)
{
    public LocalSessionTable Sessions => sessions;

    /// <summary>Writes one stanza to one full JID; false when no such session is here.</summary>
    public bool ToFull(Jid full, XElement stanza) => sessions.Find(full) is { } session && session.Deliver(stanza);

    /// <summary>Presence-style delivery: every available resource of the account, serialised once.</summary>
    public int ToAvailableResources(Jid bare, XElement stanza)
    {
        var targets = sessions.ForAccount(bare);
        if (targets.Length == 0) return 0;
        ReadOnlyMemory<byte> bytes = default;
        var count = 0;
        foreach (var session in targets)
        {
            if (!session.Presence.IsAvailable) continue;
            if (bytes.IsEmpty) bytes = StanzaSerializer.ToUtf8(stanza);
            if (session.DeliverBytes(bytes)) count++;
        }
        return count;
    }

    /// <summary>RFC 6121 §8.5.2 (bare) and §8.5.3 (full): returns the error to bounce, if any.</summary>
    public async Task<StanzaError?> MessageAsync(XElement message, Jid to, CancellationToken ct)
    {
        var type = MessageType(message);
        if (!to.IsBare)
        {
            // §8.5.3.1: the resource is here and can take it. One that is closing counts as gone.
            if (sessions.Find(to) is { } exact && exact.Deliver(message)) return null;
            // §8.5.3.2.1: the resource is gone. Only chat is handled as if sent to the bare JID;
            // normal and groupchat get service-unavailable; headline and error are silently ignored.
            switch (type)
            {
                case "chat": break;
                case "headline" or "error": return null;
                default: return StanzaError.ServiceUnavailable();
            }
        }
        var bare = to.Bare;
        if (type == "error") return null;
        var targets = sessions.ForAccount(bare);
        // An account with a session here exists: the store lookup is only for accounts with none.
        if (targets.Length == 0 && !await accounts.ExistsAsync(bare, ct).ConfigureAwait(false)) return StanzaError.ServiceUnavailable();
        switch (type)
        {
            case "groupchat":
                return StanzaError.ServiceUnavailable();
            case "headline":
                DeliverToNonNegative(targets, message, highestOnly: false);
                return null;
            default:
                // chat and normal: the highest-priority non-negative resources, else offline storage.
                if (DeliverToNonNegative(targets, message, highestOnly: true) > 0) return null;
                switch (OfflineMessageService.PolicyFor(message))
                {
                    case OfflinePolicy.Ignore: return null;
                    case OfflinePolicy.Refuse: return StanzaError.ServiceUnavailable();
                }
                if (await offline.TryStoreAsync(bare, message, ct).ConfigureAwait(false)) return null;
                return StanzaError.ServiceUnavailable("The recipient's offline storage is full.");
        }
    }

    /// <summary>RFC 6121 §5.2.2: a message without a type, or with one we do not know, is a normal message.</summary>
    public static string MessageType(XElement message) => message.Attribute("type")?.Value switch
    {
        "chat" => "chat",
        "groupchat" => "groupchat",
        "headline" => "headline",
        "error" => "error",
        _ => "normal",
    };

    private static int DeliverToNonNegative(ClientSession[] targets, XElement message, bool highestOnly)
    {
        var best = int.MinValue;
        foreach (var s in targets)
        {
            if (s.Presence.IsAvailable && s.Presence.Priority >= 0 && s.Presence.Priority > best) best = s.Presence.Priority;
        }
        if (best == int.MinValue) return 0;
        ReadOnlyMemory<byte> bytes = default;
        var count = 0;
        foreach (var s in targets)
        {
            if (!s.Presence.IsAvailable || s.Presence.Priority < 0 || (highestOnly && s.Presence.Priority != best)) continue;
            if (bytes.IsEmpty) bytes = StanzaSerializer.ToUtf8(message);
            if (s.DeliverBytes(bytes)) count++;
        }
        return count;
    }
}
