using System.Xml.Linq;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;

namespace XmppConf.Server.Im;

/// <summary>Finds the handler for an iq addressed to the server or an account and builds the reply.</summary>
internal sealed class IqDispatcher
{
    private readonly Dictionary<(XName, IqTarget), IIqHandler> _handlers = [];

    public IqDispatcher(IEnumerable<IIqHandler> handlers)
    {
        foreach (var handler in handlers) _handlers.Add((handler.Payload, handler.Target), handler);
    }

    /// <summary>
    /// An iq to the sender's own account that no account handler claims (ping, session) is the
    /// server's to answer: RFC 6120 §10.3 processes a stanza without 'to' on the account's behalf.
    /// </summary>
    public async ValueTask<XElement> DispatchAsync(IqTarget target, IqRequest request, CancellationToken ct)
    {
        if (!_handlers.TryGetValue((request.Payload.Name, target), out var handler) && target == IqTarget.Account && request.From.Bare.Equals(request.To))
        {
            _handlers.TryGetValue((request.Payload.Name, IqTarget.Server), out handler);
        }
        var response = handler is not null
            ? await handler.HandleAsync(request, ct).ConfigureAwait(false)
            // RFC 6120 §8.4: an iq the entity does not understand gets service-unavailable.
            : IqResponse.Fail(StanzaError.ServiceUnavailable());
        if (response.Error is { } error) return error.ReplyTo(request.Iq);
        var result = new XElement(XName.Get("iq", Ns.Client), new XAttribute("type", "result"));
        if (request.Iq.Attribute("id") is { } id) result.SetAttributeValue("id", id.Value);
        result.SetAttributeValue("to", request.From.ToString());
        if (request.Iq.Attribute("to") is not null) result.SetAttributeValue("from", request.To.ToString());
        if (response.Payload is not null) result.Add(response.Payload);
        return result;
    }
}
