using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Muc.Service;

namespace XmppConf.Muc.Rooms;

/// <summary>
/// The room's side of <see cref="IStanzaSink"/>. Remembers recipients the sink reports gone, so
/// the actor can remove those sessions once the current stanza is handled (never while it is
/// iterating the occupant list).
/// </summary>
internal sealed class RoomOutput(IStanzaSink sink)
{
    private static readonly XNamespace Muc = Ns.Muc;

    private List<Jid>? _gone;

    /// <summary>Sessions the sink could not deliver to since the last <see cref="TakeGone"/>.</summary>
    public bool HasGone => _gone is { Count: > 0 };

    public List<Jid>? TakeGone()
    {
        var gone = _gone;
        _gone = null;
        return gone;
    }

    /// <summary>Marks a session as unreachable (it bounced an error), as if the sink had said so.</summary>
    public void ReportGone(Jid session) => (_gone ??= []).Add(session);

    /// <summary>Sends a stanza built for one recipient ('from' and 'to' set).</summary>
    public void Send(XElement stanza, Jid to)
    {
        if (!sink.Send(stanza))
        {
            (_gone ??= []).Add(to);
        }
    }

    /// <summary>Sends one copy of a broadcast.</summary>
    public void Send(BroadcastStanza stanza, Jid to)
    {
        if (!sink.Send(stanza, to))
        {
            (_gone ??= []).Add(to);
        }
    }

    /// <summary>
    /// Replies to <paramref name="stanza"/> (sent by <paramref name="from"/> to <paramref name="to"/>)
    /// with <paramref name="error"/>. An error presence carries &lt;x xmlns='…muc'/&gt; as the
    /// examples of XEP-0045 §7.2.6–§7.2.11 show (without the password the client may have sent).
    /// </summary>
    public void SendError(XElement stanza, Jid from, Jid to, StanzaError error)
    {
        if (stanza.Attribute("type")?.Value == "error")
        {
            return; // RFC 6120 §8.3.1: never answer an error with an error.
        }
        var reply = error.ReplyTo(stanza);
        reply.SetAttributeValue("from", to.ToString());
        reply.SetAttributeValue("to", from.ToString());
        if (stanza.Name.LocalName == "presence" && stanza.Element(Muc + "x") is not null)
        {
            reply.AddFirst(new XElement(Muc + "x"));
        }
        Send(reply, from);
    }
}
