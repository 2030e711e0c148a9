using System.Buffers;
using System.Text;
using XmppConf.Core.Stanzas;

namespace XmppConf.Core.Xml;

/// <summary>XML 1.0 (Fifth Edition) character classes, on UTF-8 bytes and UTF-16 chars.</summary>
internal static class XmlChars
{
    /// <summary>XML 1.0 §2.3 [3] S: the only whitespace XML knows.</summary>
    public static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\r\n"u8);

    /// <summary>UTF-16 code units outside XML 1.0 §2.2 [2] Char (surrogates are checked by the UTF-8 codec).</summary>
    public static readonly SearchValues<char> Forbidden = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F" +
        "\uFFFE\uFFFF");

    private const byte NameStart = 1;
    private const byte NameChar = 2;

    private static readonly byte[] Ascii = BuildAsciiTable();

    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    /// <summary>ASCII NameStartChar without ':' (a QName part cannot start with it).</summary>
    public static bool IsAsciiNameStart(byte b) => (Ascii[b & 0x7F] & NameStart) != 0 && b < 0x80;

    public static bool IsAsciiNameChar(byte b) => (Ascii[b & 0x7F] & NameChar) != 0 && b < 0x80;

    /// <summary>XML 1.0 §2.2 [2] Char.</summary>
    public static bool IsXmlChar(int c) =>
        c is 0x9 or 0xA or 0xD
        || (c >= 0x20 && c <= 0xD7FF)
        || (c >= 0xE000 && c <= 0xFFFD)
        || (c >= 0x10000 && c <= 0x10FFFF);

    /// <summary>XML 1.0 §2.3 [4] NameStartChar, less ':'.</summary>
    public static bool IsNameStart(int c) =>
        c < 0x80
            ? IsAsciiNameStart((byte)c)
            : (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF)
              || (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D)
              || (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF)
              || (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);

    /// <summary>XML 1.0 §2.3 [4a] NameChar, less ':'.</summary>
    public static bool IsNameChar(int c) =>
        c < 0x80
            ? IsAsciiNameChar((byte)c)
            : IsNameStart(c) || c == 0xB7 || (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);

    /// <summary>
    /// Reads a QName (Namespaces in XML 1.0 §4 [7]) at <paramref name="pos"/>, leaving it on the first byte
    /// after the name. <paramref name="colon"/> is the offset of the prefix separator, or -1.
    /// </summary>
    public static void ReadQName(ReadOnlySpan<byte> s, ref int pos, out int colon)
    {
        var start = pos;
        colon = -1;
        var expectStart = true;
        while (pos < s.Length)
        {
            var b = s[pos];
            if (b < 0x80)
            {
                if (b == (byte)':')
                {
                    if (colon >= 0 || expectStart)
                    {
                        throw NotWellFormed("malformed qualified name");
                    }
                    colon = pos;
                    expectStart = true;
                    pos++;
                    continue;
                }
                if (expectStart ? !IsAsciiNameStart(b) : !IsAsciiNameChar(b))
                {
                    if (expectStart && pos > start)
                    {
                        throw NotWellFormed("malformed qualified name");
                    }
                    break;
                }
                pos++;
            }
            else
            {
                if (Rune.DecodeFromUtf8(s[pos..], out var rune, out var length) != OperationStatus.Done)
                {
                    throw InvalidUtf8();
                }
                // No delimiter is outside ASCII, so a non-name character here is always an error.
                if (expectStart ? !IsNameStart(rune.Value) : !IsNameChar(rune.Value))
                {
                    throw NotWellFormed("invalid character in a name");
                }
                pos += length;
            }
            expectStart = false;
        }

        if (pos == start)
        {
            throw NotWellFormed("name expected");
        }
    }

    /// <summary>
    /// RFC 6120 §4.9.3.22: a stream that breaks the rules of UTF-8 has been "improperly encoded", which is
    /// what &lt;unsupported-encoding/&gt; names, so invalid UTF-8 maps there rather than to not-well-formed.
    /// </summary>
    public static XmppStreamException InvalidUtf8() =>
        new(StreamErrorCondition.UnsupportedEncoding, "invalid UTF-8");

    public static XmppStreamException NotWellFormed(string text) =>
        new(StreamErrorCondition.NotWellFormed, text);

    private static byte[] BuildAsciiTable()
    {
        var table = new byte[128];
        for (var c = 'a'; c <= 'z'; c++)
        {
            table[c] = NameStart | NameChar;
        }
        for (var c = 'A'; c <= 'Z'; c++)
        {
            table[c] = NameStart | NameChar;
        }
        table['_'] = NameStart | NameChar;
        for (var c = '0'; c <= '9'; c++)
        {
            table[c] = NameChar;
        }
        table['-'] = NameChar;
        table['.'] = NameChar;
        return table;
    }
}
