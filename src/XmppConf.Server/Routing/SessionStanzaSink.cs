using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppConf.Core.Addressing;
using XmppConf.Muc.Service;
using XmppConf.Server.Logging;

namespace XmppConf.Server.Routing;

/// <summary>
/// How rooms reach users: occupants are full JIDs delivered straight to their session; a stanza
/// for a bare JID (an invitation) goes through normal message delivery, offline storage included.
/// </summary>
internal sealed class SessionStanzaSink(LocalDelivery delivery, ILogger<SessionStanzaSink> logger) : IStanzaSink
{
    public bool Send(XElement stanza)
    {
        if (!Jid.TryParse(stanza.Attribute("to")?.Value, out var to)) return false;
        if (!to.IsBare) return delivery.ToFull(to, stanza);
        if (stanza.Name.LocalName != "message") return delivery.ToAvailableResources(to, stanza) > 0;
        _ = DeliverMessageAsync(stanza, to);
        return true;
    }

    /// <summary>Room broadcasts: serialised once per broadcast, only the recipient spliced in per copy.</summary>
    public bool Send(BroadcastStanza stanza, Jid to)
    {
        if (to.IsBare) return Send(stanza.ToElement(to));
        return delivery.Sessions.Find(to) is { } session && session.DeliverBytes(stanza.ToUtf8(to));
    }

    private async Task DeliverMessageAsync(XElement message, Jid to)
    {
        try
        {
            await delivery.MessageAsync(message, to, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ServerLog.DeliveryFailed(logger, to.ToString(), ex);
        }
    }
}
