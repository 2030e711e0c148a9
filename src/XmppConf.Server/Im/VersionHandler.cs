using System.Reflection;
using System.Xml.Linq;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;

namespace XmppConf.Server.Im;

/// <summary>XEP-0092 software version of the server.</summary>
internal sealed class VersionHandler : IIqHandler, IFeatureProvider
{
    private static readonly XNamespace V = Ns.Version;
    private static readonly string ProductVersion =
        typeof(VersionHandler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.1";

    public XName Payload => V + "query";
    public IqTarget Target => IqTarget.Server;
    public IEnumerable<string> Features => [Ns.Version];

    public ValueTask<IqResponse> HandleAsync(IqRequest request, CancellationToken ct)
    {
        if (request.IsSet) return ValueTask.FromResult(IqResponse.Fail(StanzaError.BadRequest()));
        return ValueTask.FromResult(IqResponse.With(new XElement(V + "query",
            new XElement(V + "name", "XmppConf"),
            new XElement(V + "version", ProductVersion),
            new XElement(V + "os", Environment.OSVersion.Platform.ToString()))));
    }
}
