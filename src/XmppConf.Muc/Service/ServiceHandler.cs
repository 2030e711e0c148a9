using System.Globalization;
using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;

namespace XmppConf.Muc.Service;

/// <summary>
/// Stanzas to the service's own address (conference.example.org): disco#info (XEP-0045 §6.1)
/// and disco#items listing public rooms (§6.3) with XEP-0059 result set paging. Everything
/// else is refused.
/// </summary>
internal sealed class ServiceHandler(RoomRegistry registry, IStanzaSink sink)
{
    private static readonly XNamespace Client = Ns.Client;
    private static readonly XNamespace Info = Ns.DiscoInfo;
    private static readonly XNamespace Items = Ns.DiscoItems;
    private static readonly XNamespace Rsm = MucNs.Rsm;

    /// <summary>What the service itself supports; room features are advertised by each room.</summary>
    private static readonly string[] ServiceFeatures = [Ns.Muc, Ns.DiscoInfo, Ns.DiscoItems, MucNs.Rsm, MucNs.StableId];

    public async ValueTask HandleAsync(XElement stanza, Jid from, Jid to, CancellationToken ct)
    {
        var type = stanza.Attribute("type")?.Value;
        if (stanza.Name.LocalName != "iq")
        {
            if (stanza.Name.LocalName == "message" && type != "error")
            {
                sink.Send(StanzaError.ServiceUnavailable().ReplyTo(stanza));
            }
            return;
        }
        if (type is not ("get" or "set")) return;

        XElement? payload = null;
        StanzaError? error = null;
        if (type == "get" && stanza.Element(Info + "query") is { } info)
        {
            if (info.Attribute("node") is not null) error = StanzaError.ItemNotFound("No such node.");
            else payload = DiscoInfo();
        }
        else if (type == "get" && stanza.Element(Items + "query") is { } items)
        {
            if (items.Attribute("node") is not null) error = StanzaError.ItemNotFound("No such node.");
            else (payload, error) = await DiscoItemsAsync(items, ct).ConfigureAwait(false);
        }
        else
        {
            error = StanzaError.ServiceUnavailable();
        }

        if (error is not null)
        {
            sink.Send(error.ReplyTo(stanza));
            return;
        }
        var result = new XElement(Client + "iq",
            new XAttribute("type", "result"),
            new XAttribute("id", stanza.Attribute("id")?.Value ?? ""),
            new XAttribute("from", to.ToString()),
            new XAttribute("to", from.ToString()),
            payload);
        sink.Send(result);
    }

    private XElement DiscoInfo()
    {
        var query = new XElement(Info + "query",
            new XElement(Info + "identity",
                new XAttribute("category", "conference"),
                new XAttribute("type", "text"),
                new XAttribute("name", registry.Options.ServiceName)));
        foreach (var feature in ServiceFeatures)
        {
            query.Add(new XElement(Info + "feature", new XAttribute("var", feature)));
        }
        return query;
    }

    /// <summary>
    /// Public rooms sorted by JID. XEP-0059: &lt;max/&gt; caps the page (0 = count only),
    /// &lt;after/&gt; / &lt;before/&gt; page forwards and backwards (an empty &lt;before/&gt;
    /// is the last page), &lt;index/&gt; jumps. Without a request the page is
    /// DiscoItemsPageSize, with a &lt;set/&gt; in the answer when the list was cut.
    /// </summary>
    private async Task<(XElement?, StanzaError?)> DiscoItemsAsync(XElement query, CancellationToken ct)
    {
        var all = await registry.ListRoomsAsync(ct).ConfigureAwait(false);
        var rooms = all.FindAll(static r => r.Public);
        var set = query.Element(Rsm + "set");
        var pageSize = Math.Max(1, registry.Options.DiscoItemsPageSize);
        var max = pageSize;
        var start = 0;
        if (set is not null)
        {
            if (set.Element(Rsm + "max") is { } maxElement)
            {
                if (!int.TryParse(maxElement.Value, NumberStyles.None, CultureInfo.InvariantCulture, out max))
                {
                    return (null, StanzaError.BadRequest("Invalid <max/>."));
                }
                max = Math.Min(max, pageSize);
            }
            if (set.Element(Rsm + "after") is { } after)
            {
                start = rooms.FindIndex(r => r.RoomJid.ToString() == after.Value) + 1;
                if (start == 0) return (null, StanzaError.ItemNotFound("No such item to page after."));
            }
            else if (set.Element(Rsm + "before") is { } before)
            {
                var end = before.Value.Length == 0 ? rooms.Count : rooms.FindIndex(r => r.RoomJid.ToString() == before.Value);
                if (end < 0) return (null, StanzaError.ItemNotFound("No such item to page before."));
                start = Math.Max(0, end - max);
                max = Math.Min(max, end - start);
            }
            else if (set.Element(Rsm + "index") is { } index)
            {
                if (!int.TryParse(index.Value, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > rooms.Count)
                {
                    return (null, StanzaError.ItemNotFound("Index out of range."));
                }
            }
        }

        var count = Math.Min(max, rooms.Count - start);
        var result = new XElement(Items + "query");
        for (var i = start; i < start + count; i++)
        {
            result.Add(new XElement(Items + "item",
                new XAttribute("jid", rooms[i].RoomJid.ToString()),
                new XAttribute("name", rooms[i].Name)));
        }
        if (set is not null || count < rooms.Count)
        {
            var answer = new XElement(Rsm + "set");
            if (count > 0)
            {
                answer.Add(new XElement(Rsm + "first", new XAttribute("index", start), rooms[start].RoomJid.ToString()));
                answer.Add(new XElement(Rsm + "last", rooms[start + count - 1].RoomJid.ToString()));
            }
            answer.Add(new XElement(Rsm + "count", rooms.Count));
            result.Add(answer);
        }
        return (result, null);
    }
}
