using System.Xml.Linq;
using Microsoft.Extensions.Options;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Server.Im;
using XmppConf.Server.Options;
using XmppConf.Server.Sessions;

namespace XmppConf.Server.Routing;

/// <summary>
/// Routes what a bound client sends (RFC 6120 §10, RFC 6121 §8): stamps 'from', checks 'to', then
/// hands the stanza to presence, local delivery, the server's iq handlers or a component.
/// </summary>
internal sealed class StanzaRouter(
    LocalDelivery delivery,
    PresenceService presence,
    IqDispatcher iq,
    ComponentRegistry components,
    LocalSessionTable sessions,
    IOptions<ServerOptions> server)
{
    private readonly string _domain = server.Value.Domain;

    public async Task RouteFromClientAsync(ClientSession session, XElement stanza, CancellationToken ct)
    {
        var from = session.FullJid!;
        // RFC 6120 §8.1.2.1: the server stamps the full JID; a client cannot speak for anyone else.
        stanza.SetAttributeValue("from", from.ToString());
        var kind = stanza.Name.LocalName;
        var type = stanza.Attribute("type")?.Value;
        Jid? to = null;
        if (stanza.Attribute("to")?.Value is { } toText && !Jid.TryParse(toText, out to))
        {
            Bounce(session, stanza, type, StanzaError.JidMalformed("The 'to' address is not a valid JID."));
            return;
        }
        switch (kind)
        {
            case "presence":
                if (await presence.HandleOutboundAsync(session, stanza, to, ct).ConfigureAwait(false) is { } presenceError)
                {
                    Bounce(session, stanza, type, presenceError);
                }
                return;
            case "message":
                await RouteMessageAsync(session, stanza, type, to ?? session.User!, ct).ConfigureAwait(false);
                return;
            default:
                await RouteIqAsync(session, stanza, type, to, ct).ConfigureAwait(false);
                return;
        }
    }

    public async Task OnSessionEndedAsync(ClientSession session)
    {
        // A session that no longer held its slot must not announce its end: the JID may be a successor's.
        if (!await sessions.RemoveAsync(session).ConfigureAwait(false)) return;
        await presence.OnSessionEndedAsync(session).ConfigureAwait(false);
        foreach (var component in components.All)
        {
            await component.SessionEndedAsync(session.FullJid!, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task RouteMessageAsync(ClientSession session, XElement message, string? type, Jid to, CancellationToken ct)
    {
        // RFC 6121 §5.2.2: an unknown message type is handled as normal, not refused.
        if (to.Domain == _domain)
        {
            // Messages to the server itself have no recipient to reach (RFC 6121 §8.5.1 lets us drop them).
            if (to.Local is null) return;
            if (await delivery.MessageAsync(message, to, ct).ConfigureAwait(false) is { } error) Bounce(session, message, type, error);
            return;
        }
        if (components.Find(to.Domain) is { } component)
        {
            await component.RouteAsync(message, session.FullJid!, to, ct).ConfigureAwait(false);
            return;
        }
        Bounce(session, message, type, StanzaError.RemoteServerNotFound("This server does not federate."));
    }

    private async Task RouteIqAsync(ClientSession session, XElement stanza, string? type, Jid? to, CancellationToken ct)
    {
        var from = session.FullJid!;
        var isRequest = type is "get" or "set";
        if (!isRequest && type is not ("result" or "error"))
        {
            Bounce(session, stanza, "get", StanzaError.BadRequest("Unknown iq type."));
            return;
        }
        // RFC 6120 §8.2.3: an id is required; get and set carry exactly one payload element.
        if (stanza.Attribute("id") is null || (isRequest && !HasSinglePayload(stanza, out _)))
        {
            if (isRequest) Bounce(session, stanza, type, StanzaError.BadRequest("An iq get/set needs an id and exactly one child."));
            return;
        }
        var target = to ?? session.User!;
        if (components.Find(target.Domain) is { } component)
        {
            await component.RouteAsync(stanza, from, target, ct).ConfigureAwait(false);
            return;
        }
        if (target.Domain != _domain)
        {
            if (isRequest) Bounce(session, stanza, type, StanzaError.RemoteServerNotFound("This server does not federate."));
            return;
        }
        if (!target.IsBare)
        {
            // §8.5.3.1 / §8.5.3.2.1: an iq to a resource goes to that session or fails.
            if (delivery.ToFull(target, stanza)) return;
            if (isRequest) Bounce(session, stanza, type, StanzaError.ServiceUnavailable());
            return;
        }
        if (!isRequest) return; // results to the server or an account (answers to server pings) end here
        HasSinglePayload(stanza, out var payload);
        var request = new IqRequest(session, stanza, payload!, from, target, type == "set");
        var reply = await iq.DispatchAsync(target.Local is null ? IqTarget.Server : IqTarget.Account, request, ct).ConfigureAwait(false);
        session.Deliver(reply);
    }

    private static bool HasSinglePayload(XElement iq, out XElement? payload)
    {
        payload = null;
        foreach (var child in iq.Elements())
        {
            if (payload is not null) return false;
            payload = child;
        }
        return payload is not null;
    }

    /// <summary>RFC 6120 §8.3.1 / §8.2.3: errors go back to the sender, never in answer to an error or an iq result.</summary>
    private static void Bounce(ClientSession session, XElement stanza, string? type, StanzaError error)
    {
        if (type == "error" || (type == "result" && stanza.Name.LocalName == "iq")) return;
        var reply = error.ReplyTo(stanza);
        session.Deliver(reply);
    }
}
