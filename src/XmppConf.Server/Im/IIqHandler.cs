using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Server.Sessions;

namespace XmppConf.Server.Im;

/// <summary>Who an iq is addressed to, as RFC 6121 §8.5 distinguishes them.</summary>
internal enum IqTarget
{
    /// <summary>The server's own domain JID.</summary>
    Server,
    /// <summary>A bare account JID (the sender's own when 'to' is absent), answered by the server on the account's behalf.</summary>
    Account,
}

/// <summary>One iq get/set addressed to the server or an account, with the sender's session.</summary>
internal sealed record IqRequest(ClientSession Sender, XElement Iq, XElement Payload, Jid From, Jid To, bool IsSet);

/// <summary>The answer of an iq handler: a result payload (or none), or an error.</summary>
internal readonly record struct IqResponse(XElement? Payload, StanzaError? Error)
{
    public static IqResponse Empty => new(null, null);
    public static IqResponse With(XElement payload) => new(payload, null);
    public static IqResponse Fail(StanzaError error) => new(null, error);
}

/// <summary>Something that adds var= entries to the server's disco#info (XEP-0030).</summary>
internal interface IFeatureProvider
{
    IEnumerable<string> Features { get; }
}

/// <summary>Handles one iq payload (element name + namespace) for one kind of target.</summary>
internal interface IIqHandler
{
    XName Payload { get; }

    IqTarget Target { get; }

    ValueTask<IqResponse> HandleAsync(IqRequest request, CancellationToken ct);
}
