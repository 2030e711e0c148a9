using System.Buffers;
using System.Text;
using System.Text.Unicode;
using XmppConf.Core.Stanzas;

namespace XmppConf.Core.Xml;

/// <summary>
/// Turns the UTF-8 bytes of character data, CDATA sections and attribute values into UTF-16, applying
/// XML 1.0 line-end (§2.11) and attribute-value (§3.3.3) normalisation, resolving the references
/// RFC 6120 §11.1 permits, and rejecting invalid UTF-8 and characters outside XML's Char production.
/// The destination must hold at least as many chars as the source has bytes.
/// </summary>
internal static class XmlTextDecoder
{
    private static readonly SearchValues<byte> TextStops = SearchValues.Create("&\r]"u8);
    private static readonly SearchValues<byte> AttributeStops = SearchValues.Create("&\r\n\t<"u8);

    /// <summary>Character data between tags (no '&lt;' in <paramref name="source"/>).</summary>
    public static int DecodeText(ReadOnlySpan<byte> source, Span<char> destination)
    {
        var written = 0;
        while (true)
        {
            var stop = source.IndexOfAny(TextStops);
            if (stop < 0)
            {
                return written + DecodeRun(source, destination[written..]);
            }

            written += DecodeRun(source[..stop], destination[written..]);
            var pos = stop;
            switch (source[pos])
            {
                case (byte)'&':
                    written += ReadReference(source, ref pos, destination[written..]);
                    break;
                case (byte)'\r':
                    destination[written++] = '\n';
                    pos += pos + 1 < source.Length && source[pos + 1] == (byte)'\n' ? 2 : 1;
                    break;
                default:
                    // XML 1.0 §2.4 [14]: "]]>" must not appear in character data.
                    if (source[(pos + 1)..].StartsWith("]>"u8))
                    {
                        throw XmlChars.NotWellFormed("']]>' in character data");
                    }
                    destination[written++] = ']';
                    pos++;
                    break;
            }
            source = source[pos..];
        }
    }

    /// <summary>The content of a CDATA section: only line ends are normalised.</summary>
    public static int DecodeCData(ReadOnlySpan<byte> source, Span<char> destination)
    {
        var written = 0;
        while (true)
        {
            var stop = source.IndexOf((byte)'\r');
            if (stop < 0)
            {
                return written + DecodeRun(source, destination[written..]);
            }
            written += DecodeRun(source[..stop], destination[written..]);
            destination[written++] = '\n';
            source = source[(stop + (stop + 1 < source.Length && source[stop + 1] == (byte)'\n' ? 2 : 1))..];
        }
    }

    /// <summary>An attribute value without its quotes. XML 1.0 §3.3.3: each literal whitespace becomes a space.</summary>
    public static int DecodeAttributeValue(ReadOnlySpan<byte> source, Span<char> destination)
    {
        var written = 0;
        while (true)
        {
            var stop = source.IndexOfAny(AttributeStops);
            if (stop < 0)
            {
                return written + DecodeRun(source, destination[written..]);
            }

            written += DecodeRun(source[..stop], destination[written..]);
            var pos = stop;
            switch (source[pos])
            {
                case (byte)'&':
                    written += ReadReference(source, ref pos, destination[written..]);
                    break;
                case (byte)'<':
                    throw XmlChars.NotWellFormed("'<' in an attribute value");
                case (byte)'\r':
                    destination[written++] = ' ';
                    pos += pos + 1 < source.Length && source[pos + 1] == (byte)'\n' ? 2 : 1;
                    break;
                default:
                    destination[written++] = ' ';
                    pos++;
                    break;
            }
            source = source[pos..];
        }
    }

    /// <summary>Decodes markup-free UTF-8 and checks every character is an XML Char.</summary>
    private static int DecodeRun(ReadOnlySpan<byte> source, Span<char> destination)
    {
        if (source.IsEmpty)
        {
            return 0;
        }
        var status = Utf8.ToUtf16(source, destination, out _, out var written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            throw XmlChars.InvalidUtf8();
        }
        if (destination[..written].ContainsAny(XmlChars.Forbidden))
        {
            // XML 1.0 §2.2: control characters other than tab, CR and LF are not characters of a document.
            throw XmlChars.NotWellFormed("character not allowed in XML");
        }
        return written;
    }

    /// <summary>Resolves the reference starting at <paramref name="pos"/> ('&amp;') and moves past its ';'.</summary>
    private static int ReadReference(ReadOnlySpan<byte> source, ref int pos, Span<char> destination)
    {
        var length = source[(pos + 1)..].IndexOf((byte)';');
        if (length <= 0)
        {
            throw XmlChars.NotWellFormed("malformed reference");
        }
        var name = source.Slice(pos + 1, length);
        pos += length + 2;

        if (name[0] == (byte)'#')
        {
            return WriteCodePoint(ParseCharacterReference(name[1..]), destination);
        }

        char? predefined = name switch
        {
            _ when name.SequenceEqual("lt"u8) => '<',
            _ when name.SequenceEqual("gt"u8) => '>',
            _ when name.SequenceEqual("amp"u8) => '&',
            _ when name.SequenceEqual("quot"u8) => '"',
            _ when name.SequenceEqual("apos"u8) => '\'',
            _ => null,
        };
        if (predefined is { } c)
        {
            destination[0] = c;
            return 1;
        }

        // A well-formed reference to an entity nobody may define here (RFC 6120 §11.1 forbids DTDs).
        var end = 0;
        XmlChars.ReadQName(name, ref end, out _);
        if (end != name.Length)
        {
            throw XmlChars.NotWellFormed("malformed reference");
        }
        throw new XmppStreamException(StreamErrorCondition.RestrictedXml, "entity reference");
    }

    /// <summary>XML 1.0 §4.1 [66]: '&amp;#' [0-9]+ ';' or '&amp;#x' [0-9a-fA-F]+ ';', naming a legal Char.</summary>
    private static int ParseCharacterReference(ReadOnlySpan<byte> digits)
    {
        var hex = !digits.IsEmpty && digits[0] == (byte)'x';
        if (hex)
        {
            digits = digits[1..];
        }
        if (digits.IsEmpty)
        {
            throw XmlChars.NotWellFormed("malformed character reference");
        }

        var value = 0;
        foreach (var b in digits)
        {
            int digit;
            if (b >= (byte)'0' && b <= (byte)'9')
            {
                digit = b - '0';
            }
            else if (hex && (b | 0x20) >= (byte)'a' && (b | 0x20) <= (byte)'f')
            {
                digit = (b | 0x20) - 'a' + 10;
            }
            else
            {
                throw XmlChars.NotWellFormed("malformed character reference");
            }
            value = value * (hex ? 16 : 10) + digit;
            if (value > 0x10FFFF)
            {
                throw XmlChars.NotWellFormed("character reference out of range");
            }
        }

        if (!XmlChars.IsXmlChar(value))
        {
            throw XmlChars.NotWellFormed("character reference to a character not allowed in XML");
        }
        return value;
    }

    private static int WriteCodePoint(int value, Span<char> destination) =>
        new Rune(value).EncodeToUtf16(destination);
}
