using System.Xml.Linq;
using XmppConf.Core.Addressing;

namespace XmppConf.Server.Routing;

/// <summary>
/// A service living on its own domain (the MUC service at conference.&lt;domain&gt;). The router
/// hands it every stanza addressed to that domain, 'from' already stamped by the server.
/// </summary>
public interface IXmppComponent
{
    string Domain { get; }

    string Name { get; }

    ValueTask RouteAsync(XElement stanza, Jid from, Jid to, CancellationToken ct);

    /// <summary>A user's session ended; components drop whatever they held for that full JID.</summary>
    ValueTask SessionEndedAsync(Jid fullJid, CancellationToken ct);
}

/// <summary>The components registered on this server, by domain.</summary>
public sealed class ComponentRegistry(IEnumerable<IXmppComponent> components)
{
    private readonly Dictionary<string, IXmppComponent> _byDomain = components.ToDictionary(c => c.Domain, StringComparer.Ordinal);

    public IEnumerable<IXmppComponent> All => _byDomain.Values;

    public IXmppComponent? Find(string domain) => _byDomain.GetValueOrDefault(domain);
}
