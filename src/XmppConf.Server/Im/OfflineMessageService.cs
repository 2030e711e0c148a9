using System.Globalization;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XmppConf.Core.Addressing;
using XmppConf.Core.Xml;
using XmppConf.Server.Logging;
using XmppConf.Server.Options;
using XmppConf.Server.Sessions;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Server.Im;

/// <summary>
/// Offline messages (XEP-0160): kept when no resource can take a chat/normal message and handed
/// over when a session becomes available with non-negative priority, each marked with a XEP-0203
/// delay. Delivery respects the session's outbound bound (batches of at most half of it), a batch
/// leaves the store only after it was flushed to the client, and one account's deliveries take turns.
/// </summary>
internal sealed class OfflineMessageService(
    IOfflineStore store,
    IOptions<ServerOptions> server,
    IOptions<LimitsOptions> limits,
    ILogger<OfflineMessageService> log) : IFeatureProvider
{
    private readonly string _domain = server.Value.Domain;
    private readonly int _max = limits.Value.MaxOfflineMessages;
    private readonly int _queueBytes = limits.Value.OutboundQueueBytes;
    // One delivery per account at a time: a batch the client already has stays in the store until
    // its removal, and a second session of the account must not peek it meanwhile.
    private readonly StripedLock _deliveries = new(64);

    private static readonly XName BodyName = XName.Get("body", Ns.Client);

    public IEnumerable<string> Features => ["msgoffline"];

    /// <summary>
    /// What to do with a chat/normal message no resource can take now. XEP-0160 §3: only messages
    /// with a body are worth keeping (not chat states or receipts), and those are not bounced either;
    /// XEP-0334: &lt;store/&gt; keeps a message without body, &lt;no-store/&gt; keeps nothing.
    /// </summary>
    public static OfflinePolicy PolicyFor(XElement message)
    {
        bool body = false, store = false, noStore = false;
        foreach (var child in message.Elements())
        {
            if (child.Name == BodyName) body = true;
            else if (child.Name.NamespaceName == Ns.Hints && child.Name.LocalName == "store") store = true;
            else if (child.Name.NamespaceName == Ns.Hints && child.Name.LocalName == "no-store") noStore = true;
        }
        if (noStore) return body ? OfflinePolicy.Refuse : OfflinePolicy.Ignore;
        return body || store ? OfflinePolicy.Store : OfflinePolicy.Ignore;
    }

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
        using var _ = await _deliveries.AcquireAsync(_deliveries.StripeOf(user), ct).ConfigureAwait(false);
        var messages = await store.PeekAllAsync(user, ct).ConfigureAwait(false);
        if (messages.Count == 0) return;
        var batch = new List<long>();
        long batchBytes = 0;
        foreach (var message in messages)
        {
            if (!TryRead(message, out var bytes))
            {
                batch.Add(message.Id); // unreadable rows would block the queue forever
                continue;
            }
            if (bytes.Length > _queueBytes)
            {
                // Larger than the whole outbound queue: it could never be sent, and would block the rest.
                ServerLog.OfflineMessageTooLarge(log, user, bytes.Length);
                batch.Add(message.Id);
                continue;
            }
            if (batchBytes > 0 && batchBytes + bytes.Length > _queueBytes / 2)
            {
                if (!await CommitAsync(session, user, batch, ct).ConfigureAwait(false)) return;
                batchBytes = 0;
            }
            if (!await session.WaitForOutboxSpaceAsync(bytes.Length, ct).ConfigureAwait(false) || !session.DeliverBytes(bytes)) return;
            batch.Add(message.Id);
            batchBytes += bytes.Length;
        }
        await CommitAsync(session, user, batch, ct).ConfigureAwait(false);
    }

    /// <summary>Removes a delivered batch once the client has it; a message removed but never written would be lost.</summary>
    private async Task<bool> CommitAsync(ClientSession session, string user, List<long> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return true;
        if (!await session.WhenOutboxFlushedAsync(ct).ConfigureAwait(false)) return false;
        // Not cancellable: what was flushed must leave the store even if the session is closing now.
        await store.RemoveAsync(user, batch.ToArray(), CancellationToken.None).ConfigureAwait(false);
        batch.Clear();
        return true;
    }

    private static bool TryRead(OfflineMessage message, out ReadOnlyMemory<byte> bytes)
    {
        try
        {
            bytes = StanzaSerializer.ToUtf8(XElement.Parse(message.StanzaXml));
            return true;
        }
        catch (System.Xml.XmlException)
        {
            bytes = default;
            return false;
        }
    }
}

/// <summary>The fate of a message that no resource can take now (see <see cref="OfflineMessageService.PolicyFor"/>).</summary>
internal enum OfflinePolicy
{
    /// <summary>Keep it for the next available session.</summary>
    Store,
    /// <summary>Drop it without telling the sender (nothing a person would miss).</summary>
    Ignore,
    /// <summary>Do not keep it, and tell the sender: service-unavailable (RFC 6121 §8.5.2.2.1).</summary>
    Refuse,
}
