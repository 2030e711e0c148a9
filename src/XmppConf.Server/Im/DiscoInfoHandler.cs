using System.Xml.Linq;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;

namespace XmppConf.Server.Im;

/// <summary>XEP-0030 disco#info on the server: identity server/im and the registered features.</summary>
internal sealed class DiscoInfoHandler(ServerFeatureSet features) : IIqHandler
{
    private static readonly XNamespace Info = Ns.DiscoInfo;

    public XName Payload => Info + "query";
    public IqTarget Target => IqTarget.Server;

    public ValueTask<IqResponse> HandleAsync(IqRequest request, CancellationToken ct)
    {
        if (request.IsSet) return ValueTask.FromResult(IqResponse.Fail(StanzaError.BadRequest()));
        if (request.Payload.Attribute("node") is not null) return ValueTask.FromResult(IqResponse.Fail(StanzaError.ItemNotFound()));
        var query = new XElement(Info + "query",
            new XElement(Info + "identity", new XAttribute("category", "server"), new XAttribute("type", "im"), new XAttribute("name", "XmppConf")));
        foreach (var feature in features.Features) query.Add(new XElement(Info + "feature", new XAttribute("var", feature)));
        return ValueTask.FromResult(IqResponse.With(query));
    }
}
