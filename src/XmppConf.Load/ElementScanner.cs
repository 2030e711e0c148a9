namespace XmppConf.Load;

/// <summary>What a framed top-level piece of the XML stream is.</summary>
internal enum ElementKind
{
    StreamHeader,
    StreamEnd,
    Stanza,
}

/// <summary>
/// Finds the next complete top-level element in received bytes without an XML parser: a load
/// generator only needs framing (RFC 6120 §4.1: stanzas are first-level children of the stream),
/// and a full parser per connection would make the tool, not the server, the bottleneck.
/// </summary>
internal static class ElementScanner
{
    /// <summary>False when <paramref name="data"/> does not yet hold a complete element.</summary>
    public static bool TryFind(ReadOnlySpan<byte> data, out int start, out int end, out ElementKind kind)
    {
        start = 0;
        end = 0;
        kind = ElementKind.Stanza;
        var i = 0;
        while (true)
        {
            // Whitespace keepalives (RFC 6120 §4.6.1) and the XML declaration sit between elements.
            var lt = data[i..].IndexOf((byte)'<');
            if (lt < 0 || i + lt + 1 >= data.Length) return false;
            i += lt;
            if (data[i + 1] != (byte)'?') break;
            var pi = data[i..].IndexOf("?>"u8);
            if (pi < 0) return false;
            i += pi + 2;
        }
        start = i;
        if (data[i + 1] == (byte)'/')
        {
            var gt = data[i..].IndexOf((byte)'>');
            if (gt < 0) return false;
            end = i + gt + 1;
            kind = ElementKind.StreamEnd;
            return true;
        }
        var depth = 0;
        var first = true;
        while (i < data.Length)
        {
            if (data[i] != (byte)'<')
            {
                var next = data[i..].IndexOf((byte)'<');
                if (next < 0) return false;
                i += next;
            }
            if (i + 1 >= data.Length) return false;
            var b = data[i + 1];
            if (b == (byte)'/')
            {
                var gt = data[i..].IndexOf((byte)'>');
                if (gt < 0) return false;
                i += gt + 1;
                if (--depth == 0)
                {
                    end = i;
                    return true;
                }
                continue;
            }
            if (b == (byte)'!')
            {
                var isCdata = data[i..].StartsWith("<![CDATA["u8);
                var close = data[i..].IndexOf(isCdata ? "]]>"u8 : "-->"u8);
                if (close < 0) return false;
                i += close + 3;
                continue;
            }
            var j = i + 1;
            byte quote = 0;
            for (; j < data.Length; j++)
            {
                var c = data[j];
                if (quote != 0)
                {
                    if (c == quote) quote = 0;
                }
                else if (c is (byte)'"' or (byte)'\'') quote = c;
                else if (c == (byte)'>') break;
            }
            if (j >= data.Length) return false;
            if (first)
            {
                first = false;
                if (IsStreamOpen(data[(i + 1)..j]))
                {
                    end = j + 1;
                    kind = ElementKind.StreamHeader;
                    return true;
                }
            }
            var selfClosing = data[j - 1] == (byte)'/';
            i = j + 1;
            if (!selfClosing) depth++;
            if (depth == 0)
            {
                end = i;
                return true;
            }
        }
        return false;
    }

    private static bool IsStreamOpen(ReadOnlySpan<byte> tag)
    {
        var nameEnd = tag.IndexOfAny(" \t\r\n/"u8);
        var name = nameEnd < 0 ? tag : tag[..nameEnd];
        return name.SequenceEqual("stream"u8) || name.EndsWith(":stream"u8);
    }
}
