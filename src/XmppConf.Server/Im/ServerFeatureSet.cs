using XmppConf.Core.Xml;

namespace XmppConf.Server.Im;

/// <summary>The server's disco#info features, collected from what is registered — never a hand-kept list.</summary>
internal sealed class ServerFeatureSet(IEnumerable<IFeatureProvider> providers)
{
    private readonly Lazy<string[]> _features = new(() =>
        providers.SelectMany(p => p.Features).Append(Ns.DiscoInfo).Append(Ns.DiscoItems).Distinct().Order(StringComparer.Ordinal).ToArray());

    public IReadOnlyList<string> Features => _features.Value;
}
