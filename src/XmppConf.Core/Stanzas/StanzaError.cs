using System.Xml.Linq;
using XmppConf.Core.Xml;

namespace XmppConf.Core.Stanzas;

/// <summary>A stanza error as a value (RFC 6120 §8.3): handlers return it instead of throwing.</summary>
public sealed record StanzaError(StanzaErrorType Type, StanzaErrorCondition Condition, string? Text = null)
{
    public static StanzaError BadRequest(string? text = null) => new(StanzaErrorType.Modify, StanzaErrorCondition.BadRequest, text);
    public static StanzaError Conflict(string? text = null) => new(StanzaErrorType.Cancel, StanzaErrorCondition.Conflict, text);
    public static StanzaError FeatureNotImplemented(string? text = null) => new(StanzaErrorType.Cancel, StanzaErrorCondition.FeatureNotImplemented, text);
    public static StanzaError Forbidden(string? text = null) => new(StanzaErrorType.Auth, StanzaErrorCondition.Forbidden, text);
    public static StanzaError ItemNotFound(string? text = null) => new(StanzaErrorType.Cancel, StanzaErrorCondition.ItemNotFound, text);
    public static StanzaError JidMalformed(string? text = null) => new(StanzaErrorType.Modify, StanzaErrorCondition.JidMalformed, text);
    public static StanzaError NotAcceptable(string? text = null) => new(StanzaErrorType.Modify, StanzaErrorCondition.NotAcceptable, text);
    public static StanzaError NotAllowed(string? text = null) => new(StanzaErrorType.Cancel, StanzaErrorCondition.NotAllowed, text);
    public static StanzaError NotAuthorized(string? text = null) => new(StanzaErrorType.Auth, StanzaErrorCondition.NotAuthorized, text);
    public static StanzaError RecipientUnavailable(string? text = null) => new(StanzaErrorType.Wait, StanzaErrorCondition.RecipientUnavailable, text);
    public static StanzaError RegistrationRequired(string? text = null) => new(StanzaErrorType.Auth, StanzaErrorCondition.RegistrationRequired, text);
    public static StanzaError RemoteServerNotFound(string? text = null) => new(StanzaErrorType.Cancel, StanzaErrorCondition.RemoteServerNotFound, text);
    public static StanzaError ResourceConstraint(string? text = null) => new(StanzaErrorType.Wait, StanzaErrorCondition.ResourceConstraint, text);
    public static StanzaError ServiceUnavailable(string? text = null) => new(StanzaErrorType.Cancel, StanzaErrorCondition.ServiceUnavailable, text);
    public static StanzaError UnexpectedRequest(string? text = null) => new(StanzaErrorType.Wait, StanzaErrorCondition.UnexpectedRequest, text);
    public static StanzaError InternalServerError(string? text = null) => new(StanzaErrorType.Cancel, StanzaErrorCondition.InternalServerError, text);
    public static StanzaError PolicyViolation(string? text = null) => new(StanzaErrorType.Modify, StanzaErrorCondition.PolicyViolation, text);

    /// <summary>The &lt;error/&gt; child element in the jabber:client namespace.</summary>
    public XElement ToElement()
    {
        XNamespace client = Ns.Client;
        XNamespace stanzas = Ns.StanzaErrors;
        var error = new XElement(client + "error",
            new XAttribute("type", Type.ToXmlName()),
            new XElement(stanzas + Condition.ToXmlName()));
        if (Text is not null)
        {
            error.Add(new XElement(stanzas + "text", new XAttribute(XNamespace.Xml + "lang", "en"), Text));
        }
        return error;
    }

    /// <summary>
    /// Builds the error reply to <paramref name="stanza"/> (RFC 6120 §8.3.1): same name and id,
    /// from/to swapped, type="error", the original payload kept for context.
    /// </summary>
    public XElement ReplyTo(XElement stanza)
    {
        var reply = new XElement(stanza.Name);
        var id = stanza.Attribute("id");
        if (id is not null) reply.SetAttributeValue("id", id.Value);
        var from = stanza.Attribute("from");
        var to = stanza.Attribute("to");
        if (from is not null) reply.SetAttributeValue("to", from.Value);
        if (to is not null) reply.SetAttributeValue("from", to.Value);
        reply.SetAttributeValue("type", "error");
        // Echo only the first payload child for iq, as peers expect; keep messages small too.
        var firstChild = stanza.Elements().FirstOrDefault(e => e.Name.LocalName != "error");
        if (firstChild is not null && stanza.Name.LocalName == "iq")
        {
            reply.Add(new XElement(firstChild));
        }
        reply.Add(ToElement());
        return reply;
    }

    /// <summary>Reads the error of an error stanza, or null when it has none we understand.</summary>
    public static StanzaError? FromStanza(XElement stanza)
    {
        var error = stanza.Element(XName.Get("error", stanza.Name.NamespaceName));
        if (error is null) return null;
        var type = Enum.TryParse<StanzaErrorType>(error.Attribute("type")?.Value, ignoreCase: true, out var t) ? t : StanzaErrorType.Cancel;
        foreach (var child in error.Elements())
        {
            if (child.Name.NamespaceName == Ns.StanzaErrors && TryParseCondition(child.Name.LocalName, out var condition))
            {
                var text = error.Element(XName.Get("text", Ns.StanzaErrors))?.Value;
                return new StanzaError(type, condition, text);
            }
        }
        return null;
    }

    private static bool TryParseCondition(string name, out StanzaErrorCondition condition) =>
        ConditionNames.TryParseStanzaCondition(name, out condition);
}
