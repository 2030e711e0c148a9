using System.Xml.Linq;
using XmppConf.Core.Stanzas;

namespace XmppConf.Muc.Features;

/// <summary>A feature's answer to an iq: a result with an optional payload, or an error.</summary>
internal sealed class IqReply
{
    private IqReply(XElement? payload, StanzaError? error)
    {
        Payload = payload;
        Error = error;
    }

    /// <summary>An empty result.</summary>
    public static readonly IqReply Empty = new(null, null);

    public XElement? Payload { get; }

    public StanzaError? Error { get; }

    public static IqReply Result(XElement? payload = null) => payload is null ? Empty : new IqReply(payload, null);

    public static IqReply Failed(StanzaError error) => new(null, error);
}
