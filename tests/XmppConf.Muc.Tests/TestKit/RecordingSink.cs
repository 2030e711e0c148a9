using System.Text;
using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Xml;
using XmppConf.Muc.Service;

namespace XmppConf.Muc.Tests.TestKit;

/// <summary>
/// The room's output port, recording what it sends. Both paths go through bytes and back, so
/// tests see exactly what a client would: broadcasts via <see cref="BroadcastStanza.ToUtf8"/>,
/// single stanzas via the serializer. Sessions listed in <see cref="Gone"/> are reported
/// unreachable.
/// </summary>
internal sealed class RecordingSink : IStanzaSink
{
    private readonly object _gate = new();
    private readonly List<XElement> _sent = [];

    public HashSet<string> Gone { get; } = [];

    public int BroadcastCalls { get; private set; }

    public bool Send(XElement stanza)
    {
        var copy = Parse(StanzaSerializer.ToUtf8(stanza));
        return Record(copy);
    }

    public bool Send(BroadcastStanza stanza, Jid to)
    {
        BroadcastCalls++;
        return Record(Parse(stanza.ToUtf8(to)));
    }

    /// <summary>Everything sent since the last call, in order.</summary>
    public List<XElement> Take()
    {
        lock (_gate)
        {
            var all = _sent.ToList();
            _sent.Clear();
            return all;
        }
    }

    private bool Record(XElement stanza)
    {
        lock (_gate)
        {
            _sent.Add(stanza);
            return !Gone.Contains(stanza.Attribute("to")?.Value ?? "");
        }
    }

    private static XElement Parse(byte[] utf8)
    {
        var text = Encoding.UTF8.GetString(utf8);
        try
        {
            return XElement.Parse("<wrap xmlns='jabber:client'>" + text + "</wrap>").Elements().Single();
        }
        catch (System.Xml.XmlException ex)
        {
            throw new InvalidOperationException("Unparseable stanza from the service: " + text.Replace("\0", "\\0"), ex);
        }
    }
}
