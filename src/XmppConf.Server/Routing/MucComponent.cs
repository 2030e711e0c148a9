using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Muc.Service;

namespace XmppConf.Server.Routing;

/// <summary>The XEP-0045 service plugged into the router as the component for conference.&lt;domain&gt;.</summary>
internal sealed class MucComponent(MucService service) : IXmppComponent
{
    public string Domain => service.Domain;

    public string Name => "Conference rooms";

    public ValueTask RouteAsync(XElement stanza, Jid from, Jid to, CancellationToken ct) => service.RouteAsync(stanza, from, to, ct);

    public ValueTask SessionEndedAsync(Jid fullJid, CancellationToken ct) => service.SessionEndedAsync(fullJid, ct);
}
