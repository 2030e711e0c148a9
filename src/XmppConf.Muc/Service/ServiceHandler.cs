using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Features;

namespace XmppConf.Muc.Service;

/// <summary>
/// Stanzas to the service's own address (conference.example.org): service discovery
/// (XEP-0045 §6.1–§6.3). Everything else is refused.
/// </summary>
internal sealed class ServiceHandler(RoomRegistry registry, IStanzaSink sink, FeatureSet features)
{
    public ValueTask HandleAsync(XElement stanza, Jid from, Jid to, CancellationToken ct)
    {
        _ = registry;
        _ = features;
        var type = stanza.Attribute("type")?.Value;
        if (stanza.Name.LocalName == "iq" && type is "get" or "set")
        {
            sink.Send(StanzaError.ServiceUnavailable().ReplyTo(stanza));
        }
        else if (stanza.Name.LocalName == "message" && type != "error")
        {
            sink.Send(StanzaError.ServiceUnavailable().ReplyTo(stanza));
        }
        return ValueTask.CompletedTask;
    }
}
