using System.Text;

namespace XmppConf.Testing.Xmpp;

internal enum FramedKind
{
    /// <summary>The peer's stream header start tag (<c>&lt;stream:stream …&gt;</c>).</summary>
    StreamOpened,

    /// <summary>One complete top-level child of the stream (a stanza, features, error, SASL element …).</summary>
    Element,

    /// <summary>The peer's <c>&lt;/stream:stream&gt;</c>.</summary>
    StreamClosed,
}

internal readonly record struct FramedToken(FramedKind Kind, string Text);

/// <summary>
/// Cuts the bytes of an XMPP stream into the header, complete top-level children and the closing
/// tag, by tracking element depth only; each child is then parsed on its own. Deliberately a small
/// independent implementation: the test client must not share framing code with the server it tests.
/// </summary>
internal sealed class XmlStreamFramer
{
    // Strict UTF-8: RFC 6120 §11.6 requires UTF-8, and a server sending anything else is a bug the tests must see.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _buf = new byte[16 * 1024];
    private int _start;          // first byte still needed
    private int _count;          // end of valid data
    private int _scan;           // where the next token starts
    private int _elementStart = -1;
    private int _depth;          // 0 outside the stream, 1 directly inside it, >1 inside a child
    private volatile bool _expectHeader = true;

    /// <summary>
    /// Set before the client sends a new stream header: RFC 6120 §6.4.6 and §5.4.3.3 restart the stream
    /// without closing the old one, so the server's next start tag at depth 1 is a new header.
    /// </summary>
    public void ExpectNewHeader() => _expectHeader = true;

    /// <summary>Bytes received but not yet returned as part of a complete token.</summary>
    public int PendingBytes => _count - _start;

    /// <summary>Forgets everything, for a new stream over a new (TLS) layer.</summary>
    public void Reset()
    {
        _start = _count = _scan = _depth = 0;
        _elementStart = -1;
        _expectHeader = true;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buf, _start, _buf, 0, _count - _start);
            _count -= _start;
            _scan -= _start;
            if (_elementStart >= 0)
            {
                _elementStart -= _start;
            }

            _start = 0;
        }

        if (_count + data.Length > _buf.Length)
        {
            Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _count + data.Length));
        }

        data.CopyTo(_buf.AsSpan(_count));
        _count += data.Length;
    }

    /// <summary>Returns the next complete token, or false when more bytes are needed.</summary>
    /// <exception cref="FormatException">The bytes cannot be an XMPP stream.</exception>
    public bool TryNext(out FramedToken token)
    {
        while (_scan < _count)
        {
            if (_buf[_scan] != (byte)'<')
            {
                // Character data: whitespace keepalives between stanzas (RFC 6120 §4.6.1) or text inside a child.
                int lt = Array.IndexOf(_buf, (byte)'<', _scan, _count - _scan);
                _scan = lt < 0 ? _count : lt;
                Consumed();
                continue;
            }

            if (!TryFindTokenEnd(_scan, out int end, out TagKind kind))
            {
                break;
            }

            int tokenStart = _scan;
            _scan = end;
            switch (kind)
            {
                case TagKind.Other:
                    break;

                case TagKind.Start when _depth == 0 || (_depth == 1 && _expectHeader && LocalNameIs(tokenStart, "stream")):
                    _expectHeader = false;
                    _depth = 1;
                    token = new FramedToken(FramedKind.StreamOpened, Decode(tokenStart, end));
                    Consumed();
                    return true;

                case TagKind.Start:
                    if (_depth == 1)
                    {
                        _elementStart = tokenStart;
                    }

                    _depth++;
                    break;

                case TagKind.Empty when _depth <= 1:
                    token = new FramedToken(FramedKind.Element, Decode(tokenStart, end));
                    Consumed();
                    return true;

                case TagKind.Empty:
                    break;

                case TagKind.End when _depth == 0:
                    throw new FormatException($"End tag '{Decode(tokenStart, end)}' outside the stream.");

                case TagKind.End when _depth == 1:
                    _depth = 0;
                    token = new FramedToken(FramedKind.StreamClosed, Decode(tokenStart, end));
                    Consumed();
                    return true;

                case TagKind.End:
                    _depth--;
                    if (_depth == 1)
                    {
                        token = new FramedToken(FramedKind.Element, Decode(_elementStart, end));
                        _elementStart = -1;
                        Consumed();
                        return true;
                    }

                    break;
            }

            Consumed();
        }

        token = default;
        return false;
    }

    private void Consumed()
    {
        if (_elementStart < 0)
        {
            _start = _scan;
        }
    }

    private enum TagKind
    {
        Start,
        Empty,
        End,
        Other, // comment, processing instruction, CDATA, declaration
    }

    private bool TryFindTokenEnd(int p, out int end, out TagKind kind)
    {
        end = 0;
        kind = TagKind.Other;
        int available = _count - p;
        if (available < 2)
        {
            return false;
        }

        byte second = _buf[p + 1];
        if (second == (byte)'?')
        {
            return TryFindTerminator(p + 2, "?>"u8, out end);
        }

        if (second == (byte)'!')
        {
            if (available < 3)
            {
                return false;
            }

            if (_buf[p + 2] == (byte)'-')
            {
                return available >= 4 && TryFindTerminator(p + 4, "-->"u8, out end);
            }

            if (_buf[p + 2] == (byte)'[')
            {
                return available >= 9 && TryFindTerminator(p + 9, "]]>"u8, out end);
            }

            return TryFindTerminator(p + 2, ">"u8, out end);
        }

        if (second == (byte)'/')
        {
            kind = TagKind.End;
            return TryFindTerminator(p + 2, ">"u8, out end);
        }

        // A start tag: '>' may legally appear inside attribute values, so skip quoted runs.
        byte quote = 0;
        for (int i = p + 1; i < _count; i++)
        {
            byte b = _buf[i];
            if (quote != 0)
            {
                if (b == quote)
                {
                    quote = 0;
                }
            }
            else if (b == (byte)'"' || b == (byte)'\'')
            {
                quote = b;
            }
            else if (b == (byte)'>')
            {
                end = i + 1;
                kind = _buf[i - 1] == (byte)'/' ? TagKind.Empty : TagKind.Start;
                return true;
            }
        }

        return false;
    }

    private bool TryFindTerminator(int from, ReadOnlySpan<byte> terminator, out int end)
    {
        int at = from <= _count ? _buf.AsSpan(from, _count - from).IndexOf(terminator) : -1;
        end = at < 0 ? 0 : from + at + terminator.Length;
        return at >= 0;
    }

    private bool LocalNameIs(int tagStart, string localName)
    {
        ReadOnlySpan<byte> name = QualifiedName(tagStart);
        int colon = name.IndexOf((byte)':');
        ReadOnlySpan<byte> local = colon < 0 ? name : name[(colon + 1)..];
        return Encoding.ASCII.GetString(local) == localName;
    }

    private ReadOnlySpan<byte> QualifiedName(int tagStart)
    {
        int i = tagStart + 1;
        while (i < _count && _buf[i] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'/' or (byte)'>'))
        {
            i++;
        }

        return _buf.AsSpan(tagStart + 1, i - tagStart - 1);
    }

    private string Decode(int from, int to)
    {
        try
        {
            return StrictUtf8.GetString(_buf, from, to - from);
        }
        catch (DecoderFallbackException ex)
        {
            throw new FormatException("The peer sent bytes that are not UTF-8 (RFC 6120 §11.6).", ex);
        }
    }
}
