using System.Xml.Linq;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Server.Accounts;

namespace XmppConf.Server.Im;

/// <summary>XEP-0030 §3.1 on a bare account JID: identity account/registered, answered by the server.</summary>
internal sealed class AccountDiscoInfoHandler(AccountService accounts) : IIqHandler
{
    private static readonly XNamespace Info = Ns.DiscoInfo;

    public XName Payload => Info + "query";
    public IqTarget Target => IqTarget.Account;

    public async ValueTask<IqResponse> HandleAsync(IqRequest request, CancellationToken ct)
    {
        if (request.IsSet) return IqResponse.Fail(StanzaError.BadRequest());
        // RFC 6121 §8.5.1: no such account looks the same as an unsupported request.
        if (!await accounts.ExistsAsync(request.To, ct).ConfigureAwait(false)) return IqResponse.Fail(StanzaError.ServiceUnavailable());
        return IqResponse.With(new XElement(Info + "query",
            new XElement(Info + "identity", new XAttribute("category", "account"), new XAttribute("type", "registered")),
            new XElement(Info + "feature", new XAttribute("var", Ns.DiscoInfo))));
    }
}
