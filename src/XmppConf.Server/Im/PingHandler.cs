using System.Xml.Linq;
using XmppConf.Core.Xml;

namespace XmppConf.Server.Im;

/// <summary>XEP-0199: the server answers pings addressed to it.</summary>
internal sealed class PingHandler : IIqHandler, IFeatureProvider
{
    public XName Payload => XName.Get("ping", Ns.Ping);
    public IqTarget Target => IqTarget.Server;
    public IEnumerable<string> Features => [Ns.Ping];

    public ValueTask<IqResponse> HandleAsync(IqRequest request, CancellationToken ct) => ValueTask.FromResult(IqResponse.Empty);
}
