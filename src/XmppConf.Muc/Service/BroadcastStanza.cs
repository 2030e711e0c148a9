using System.Buffers;
using System.Text;
using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Xml;

namespace XmppConf.Muc.Service;

/// <summary>
/// One stanza sent to many recipients where only 'to' differs (a groupchat message, an
/// occupant's presence). The template is built once, has 'from' set and no 'to', and is never
/// changed afterwards. <see cref="ToUtf8(Jid)"/> serialises the template once (XmppConf STYLE
/// §15) and, per recipient, copies the bytes with <c> to='…'</c> spliced in after the element
/// name: one array allocation and two block copies per recipient, no XML work.
/// </summary>
public sealed class BroadcastStanza
{
    private static readonly SearchValues<char> AttributeSpecials = SearchValues.Create("&<>'\"\t\n\r");

    private byte[]? _bytes;
    private int _split;

    /// <param name="template">The stanza without 'to'; ownership passes to this object.</param>
    public BroadcastStanza(XElement template)
    {
        ArgumentNullException.ThrowIfNull(template);
        Template = template;
    }

    /// <summary>The shared stanza without 'to'. Read it; never change it.</summary>
    public XElement Template { get; }

    /// <summary>The template serialised for a jabber:client stream, without 'to'.</summary>
    public ReadOnlySpan<byte> Utf8WithoutTo => EnsureSerialised();

    /// <summary>A fresh element for <paramref name="to"/>: the template copied with 'to' set.</summary>
    public XElement ToElement(Jid to)
    {
        var copy = new XElement(Template);
        copy.SetAttributeValue("to", to.ToString());
        return copy;
    }

    /// <summary>The stanza for <paramref name="to"/> as UTF-8 bytes for a jabber:client stream.</summary>
    public byte[] ToUtf8(Jid to)
    {
        var bytes = EnsureSerialised();
        if (_split == 0)
        {
            // The element did not start as "<name" (a prefixed template): no splice point.
            return StanzaSerializer.ToUtf8(ToElement(to));
        }
        var text = to.ToString();
        if (text.AsSpan().IndexOfAny(AttributeSpecials) >= 0)
        {
            // Resourceparts may hold '&', '<', quotes… (RFC 7622 §3.4); escape as the serializer would.
            text = EscapeAttribute(text);
        }
        var toLength = Encoding.UTF8.GetByteCount(text);
        var result = new byte[bytes.Length + toLength + 6];
        var span = result.AsSpan();
        bytes.AsSpan(0, _split).CopyTo(span);
        var at = _split;
        " to='"u8.CopyTo(span[at..]);
        at += 5;
        at += Encoding.UTF8.GetBytes(text, span[at..]);
        span[at++] = (byte)'\'';
        bytes.AsSpan(_split).CopyTo(span[at..]);
        return result;
    }

    private byte[] EnsureSerialised()
    {
        var bytes = Volatile.Read(ref _bytes);
        if (bytes is not null) return bytes;

        bytes = StanzaSerializer.ToUtf8(Template);
        var name = Template.Name.LocalName;
        var split = 0;
        if (bytes.Length > name.Length + 1 && bytes[0] == (byte)'<'
            && Encoding.UTF8.GetByteCount(name) == name.Length
            && bytes.AsSpan(1, name.Length).SequenceEqual(Encoding.ASCII.GetBytes(name))
            && bytes[name.Length + 1] is (byte)' ' or (byte)'>' or (byte)'/')
        {
            split = name.Length + 1;
        }
        // Benign race: two threads compute the same bytes; _split is written before _bytes is published.
        _split = split;
        Volatile.Write(ref _bytes, bytes);
        return bytes;
    }

    private static string EscapeAttribute(string value)
    {
        var builder = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '\'' => "&apos;",
                '"' => "&quot;",
                '\t' => "&#x9;",
                '\n' => "&#xA;",
                '\r' => "&#xD;",
                _ => null,
            });
            if (c is not ('&' or '<' or '>' or '\'' or '"' or '\t' or '\n' or '\r')) builder.Append(c);
        }
        return builder.ToString();
    }
}
