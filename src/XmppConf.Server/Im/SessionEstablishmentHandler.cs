using System.Xml.Linq;
using XmppConf.Core.Xml;

namespace XmppConf.Server.Im;

/// <summary>
/// RFC 3921 §3 session establishment: obsolete (RFC 6121 appendix E) and advertised as optional,
/// but older libpurple clients (Pidgin, Adium) still send it, so answer with an empty result.
/// </summary>
internal sealed class SessionEstablishmentHandler : IIqHandler
{
    public XName Payload => XName.Get("session", Ns.Session);
    public IqTarget Target => IqTarget.Server;

    public ValueTask<IqResponse> HandleAsync(IqRequest request, CancellationToken ct) => ValueTask.FromResult(IqResponse.Empty);
}
