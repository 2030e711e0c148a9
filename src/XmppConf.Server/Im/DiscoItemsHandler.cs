using System.Xml.Linq;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Server.Routing;

namespace XmppConf.Server.Im;

/// <summary>XEP-0030 disco#items on the server: the components it hosts (the MUC service, later ones).</summary>
internal sealed class DiscoItemsHandler(ComponentRegistry components) : IIqHandler
{
    private static readonly XNamespace Items = Ns.DiscoItems;

    public XName Payload => Items + "query";
    public IqTarget Target => IqTarget.Server;

    public ValueTask<IqResponse> HandleAsync(IqRequest request, CancellationToken ct)
    {
        if (request.IsSet) return ValueTask.FromResult(IqResponse.Fail(StanzaError.BadRequest()));
        var query = new XElement(Items + "query");
        foreach (var component in components.All)
        {
            query.Add(new XElement(Items + "item", new XAttribute("jid", component.Domain), new XAttribute("name", component.Name)));
        }
        return ValueTask.FromResult(IqResponse.With(query));
    }
}
