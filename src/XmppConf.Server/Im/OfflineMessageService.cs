using System.Globalization;
using System.Xml.Linq;
using Microsoft.Extensions.Options;
using XmppConf.Core.Addressing;
using XmppConf.Core.Xml;
using XmppConf.Server.Options;
using XmppConf.Server.Sessions;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Server.Im;

/// <summary>
/// Offline messages (XEP-0160): kept when no resource can take a chat/normal message and handed
/// over at the next initial presence with non-negative priority, each marked with a XEP-0203 delay.
/// A message leaves the store only after it was queued for the client.
/// </summary>
internal sealed class OfflineMessageService(IOfflineStore store, IOptions<ServerOptions> server, IOptions<LimitsOptions> limits) : IFeatureProvider
{
    private readonly string _domain = server.Value.Domain;
    private readonly int _max = limits.Value.MaxOfflineMessages;

    public IEnumerable<string> Features => ["msgoffline"];

    public Task<bool> TryStoreAsync(Jid toBare, XElement message, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var copy = new XElement(message);
        copy.Add(new XElement(XName.Get("delay", Ns.Delay),
            new XAttribute("from", _domain),
            new XAttribute("stamp", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
            "Offline storage"));
        return store.TryStoreAsync(toBare.ToString(), copy.ToString(SaveOptions.DisableFormatting), now, _max, ct);
    }

    public async Task DeliverAsync(ClientSession session, CancellationToken ct)
    {
        var user = session.User!.ToString();
        var messages = await store.PeekAllAsync(user, ct).ConfigureAwait(false);
        if (messages.Count == 0) return;
        var delivered = new List<long>(messages.Count);
        foreach (var message in messages)
        {
            XElement stanza;
            try
            {
                stanza = XElement.Parse(message.StanzaXml);
            }
            catch (System.Xml.XmlException)
            {
                delivered.Add(message.Id); // unreadable rows would block the queue forever
                continue;
            }
            if (!session.Deliver(stanza)) break;
            delivered.Add(message.Id);
        }
        await store.RemoveAsync(user, delivered, ct).ConfigureAwait(false);
    }
}
