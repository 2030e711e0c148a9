using XmppConf.Core.Stanzas;

namespace XmppConf.Core.Xml;

/// <summary>
/// Checks the "&lt;?xml version='1.0' …?&gt;" that may precede a stream header (RFC 6120 §4.2, XML 1.0 §2.8).
/// Whitespace before it is tolerated, unlike XML 1.0 proper: it carries no meaning and a peer that pads its
/// restart gains nothing from a hard error.
/// </summary>
internal static class XmlDeclaration
{
    /// <summary>Validates a complete "&lt;? … ?&gt;" unit; anything but the XML declaration is a refused PI.</summary>
    public static void Validate(ReadOnlySpan<byte> unit)
    {
        var body = unit[2..^2];
        if (!body.StartsWith("xml"u8) || (body.Length > 3 && !XmlChars.IsWhitespace(body[3])))
        {
            // RFC 6120 §11.1: processing instructions are restricted XML.
            throw new XmppStreamException(StreamErrorCondition.RestrictedXml, "processing instruction");
        }

        var pos = 3;
        var version = ReadPseudoAttribute(body, ref pos, "version"u8);
        if (!IsVersion(version))
        {
            throw Malformed();
        }

        var encoding = ReadPseudoAttribute(body, ref pos, "encoding"u8);
        // RFC 6120 §11.6: UTF-8 is the only encoding of an XML stream.
        if (!encoding.IsEmpty && !System.Text.Ascii.EqualsIgnoreCase(encoding, "UTF-8"u8))
        {
            throw new XmppStreamException(StreamErrorCondition.UnsupportedEncoding, "only UTF-8 is supported");
        }

        var standalone = ReadPseudoAttribute(body, ref pos, "standalone"u8);
        if (!standalone.IsEmpty && !standalone.SequenceEqual("yes"u8) && !standalone.SequenceEqual("no"u8))
        {
            throw Malformed();
        }

        while (pos < body.Length && XmlChars.IsWhitespace(body[pos]))
        {
            pos++;
        }
        if (pos != body.Length)
        {
            throw Malformed();
        }
    }

    /// <summary>
    /// Reads S name Eq quoted-value when <paramref name="name"/> comes next; otherwise leaves
    /// <paramref name="pos"/> alone and returns an empty span (no pseudo-attribute may be empty).
    /// </summary>
    private static ReadOnlySpan<byte> ReadPseudoAttribute(ReadOnlySpan<byte> body, ref int pos, ReadOnlySpan<byte> name)
    {
        var p = pos;
        while (p < body.Length && XmlChars.IsWhitespace(body[p]))
        {
            p++;
        }
        if (p == pos || !body[p..].StartsWith(name))
        {
            return default;
        }
        p += name.Length;
        while (p < body.Length && XmlChars.IsWhitespace(body[p]))
        {
            p++;
        }
        if (p >= body.Length || body[p] != (byte)'=')
        {
            throw Malformed();
        }
        p++;
        while (p < body.Length && XmlChars.IsWhitespace(body[p]))
        {
            p++;
        }
        if (p >= body.Length || (body[p] != (byte)'"' && body[p] != (byte)'\''))
        {
            throw Malformed();
        }
        var quote = body[p++];
        var length = body[p..].IndexOf(quote);
        if (length <= 0)
        {
            throw Malformed();
        }
        pos = p + length + 1;
        return body.Slice(p, length);
    }

    /// <summary>XML 1.0 §2.8 [26]: '1.' [0-9]+.</summary>
    private static bool IsVersion(ReadOnlySpan<byte> value) =>
        value.Length > 2 && value.StartsWith("1."u8) && !value[2..].ContainsAnyExceptInRange((byte)'0', (byte)'9');

    private static XmppStreamException Malformed() =>
        new(StreamErrorCondition.NotWellFormed, "malformed XML declaration");
}
