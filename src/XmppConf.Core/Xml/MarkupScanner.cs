using System.Buffers;
using XmppConf.Core.Stanzas;

namespace XmppConf.Core.Xml;

/// <summary>What the unit being scanned turned out to be.</summary>
internal enum UnitKind
{
    None,
    /// <summary>&lt;? … ?&gt; before the stream header: the XML declaration, or a refused processing instruction.</summary>
    Declaration,
    Header,
    Stanza,
    StreamClose,
}

/// <summary>
/// Finds where one unit (stream header, top-level element, closing tag) ends, one byte at a time and
/// resumable across reads, while enforcing the size, depth and element limits and refusing the markup
/// RFC 6120 §11.1 forbids. It tracks only tag structure (quotes, CDATA, nesting); well-formedness of
/// names, attributes, references and encoding is left to <see cref="XmlFragmentParser"/>, which runs on
/// the unit's bytes once they are complete. Every decision depends only on the bytes seen so far, so
/// the outcome cannot depend on how TCP split them.
/// </summary>
internal sealed class MarkupScanner
{
    private const string CDataOpen = "[CDATA[";

    // Bytes that change the state inside a start tag, an attribute value, an end tag.
    private static readonly SearchValues<byte> TagStops = SearchValues.Create("\"'/><"u8);
    private static readonly SearchValues<byte> DoubleQuoteStops = SearchValues.Create("\"<"u8);
    private static readonly SearchValues<byte> SingleQuoteStops = SearchValues.Create("'<"u8);
    private static readonly SearchValues<byte> EndTagStops = SearchValues.Create("><"u8);

    private State _state;
    private bool _prolog;
    private int _cdataMatched;
    private int _depth;
    private int _elements;

    private enum State
    {
        Idle,
        LessThan,
        Bang,
        CDataOpening,
        CData,
        CDataBracket1,
        CDataBracket2,
        Text,
        StartTag,
        StartTagSlash,
        DoubleQuoted,
        SingleQuoted,
        EndTag,
        Pi,
        PiQuestion,
    }

    /// <summary>True between <see cref="Begin"/> and <see cref="End"/>.</summary>
    public bool InUnit => _state != State.Idle;

    /// <summary>Bytes of the current unit examined so far (its full length once complete).</summary>
    public int Offset { get; private set; }

    public UnitKind Kind { get; private set; }

    /// <summary>For a header: it ended with "/&gt;", so the stream is already closed.</summary>
    public bool SelfClosing { get; private set; }

    /// <summary>Starts a unit whose first byte, '&lt;', is at the front of the buffer.</summary>
    /// <param name="prolog">True before the stream header has been read.</param>
    public void Begin(bool prolog)
    {
        _state = State.LessThan;
        _prolog = prolog;
        _cdataMatched = 0;
        Offset = 1;
        Kind = UnitKind.None;
        SelfClosing = false;
        _depth = 0;
        _elements = 0;
    }

    public void End()
    {
        _state = State.Idle;
        Offset = 0;
        Kind = UnitKind.None;
    }

    /// <summary>
    /// Continues scanning the unit at the front of <paramref name="buffer"/> (the same bytes as the previous
    /// call plus whatever arrived since). True when the unit is complete; its length is then <see cref="Offset"/>.
    /// </summary>
    /// <param name="maxBytes">The unit's size limit; one byte more than this is a policy violation.</param>
    public bool Scan(in ReadOnlySequence<byte> buffer, int maxBytes, FramerLimits limits)
    {
        foreach (var memory in buffer.Slice(Offset))
        {
            var span = memory.Span;
            var budget = Math.Max(0, maxBytes - Offset);
            var capped = span.Length > budget;
            if (capped)
            {
                span = span[..budget];
            }

            var used = Step(span, limits, out var complete);
            Offset += used;
            if (complete)
            {
                return true;
            }
            if (capped)
            {
                // RFC 6120 §13.12: stop at the limit instead of buffering the rest of an oversized unit.
                throw new XmppStreamException(StreamErrorCondition.PolicyViolation,
                    Kind == UnitKind.Stanza ? "stanza too large" : "stream header too large");
            }
        }
        return false;
    }

    private int Step(ReadOnlySpan<byte> span, FramerLimits limits, out bool complete)
    {
        complete = false;
        var i = 0;
        while (i < span.Length)
        {
            switch (_state)
            {
                case State.Text:
                {
                    var k = span[i..].IndexOf((byte)'<');
                    if (k < 0)
                    {
                        return span.Length;
                    }
                    i += k + 1;
                    _state = State.LessThan;
                    break;
                }
                case State.LessThan:
                    OnLessThan(span[i], limits, ref i);
                    break;
                case State.StartTag:
                {
                    var k = span[i..].IndexOfAny(TagStops);
                    if (k < 0)
                    {
                        return span.Length;
                    }
                    i += k + 1;
                    switch (span[i - 1])
                    {
                        case (byte)'"': _state = State.DoubleQuoted; break;
                        case (byte)'\'': _state = State.SingleQuoted; break;
                        case (byte)'/': _state = State.StartTagSlash; break;
                        case (byte)'>':
                            if (Kind == UnitKind.Header)
                            {
                                complete = true;
                                return i;
                            }
                            _state = State.Text;
                            break;
                        default: throw NotWellFormed("'<' inside a tag");
                    }
                    break;
                }
                case State.StartTagSlash:
                    if (span[i++] != (byte)'>')
                    {
                        throw NotWellFormed("'/' inside a tag");
                    }
                    if (Kind == UnitKind.Header)
                    {
                        SelfClosing = true;
                        complete = true;
                        return i;
                    }
                    if (--_depth == 0)
                    {
                        complete = true;
                        return i;
                    }
                    _state = State.Text;
                    break;
                case State.DoubleQuoted:
                case State.SingleQuoted:
                {
                    var k = span[i..].IndexOfAny(_state == State.DoubleQuoted ? DoubleQuoteStops : SingleQuoteStops);
                    if (k < 0)
                    {
                        return span.Length;
                    }
                    i += k + 1;
                    if (span[i - 1] == (byte)'<')
                    {
                        // XML 1.0 §3.1 [10]: AttValue excludes '<'.
                        throw NotWellFormed("'<' in an attribute value");
                    }
                    _state = State.StartTag;
                    break;
                }
                case State.EndTag:
                {
                    var k = span[i..].IndexOfAny(EndTagStops);
                    if (k < 0)
                    {
                        return span.Length;
                    }
                    i += k + 1;
                    if (span[i - 1] == (byte)'<')
                    {
                        throw NotWellFormed("'<' inside an end tag");
                    }
                    if (Kind == UnitKind.StreamClose || --_depth == 0)
                    {
                        complete = true;
                        return i;
                    }
                    _state = State.Text;
                    break;
                }
                case State.Bang:
                    OnBang(span[i++]);
                    break;
                case State.CDataOpening:
                    if (span[i++] != (byte)CDataOpen[_cdataMatched])
                    {
                        throw NotWellFormed("malformed CDATA section");
                    }
                    if (++_cdataMatched == CDataOpen.Length)
                    {
                        _state = State.CData;
                    }
                    break;
                case State.CData:
                {
                    var k = span[i..].IndexOf((byte)']');
                    if (k < 0)
                    {
                        return span.Length;
                    }
                    i += k + 1;
                    _state = State.CDataBracket1;
                    break;
                }
                case State.CDataBracket1:
                    _state = span[i++] == (byte)']' ? State.CDataBracket2 : State.CData;
                    break;
                case State.CDataBracket2:
                {
                    var b = span[i++];
                    _state = b == (byte)'>' ? State.Text : b == (byte)']' ? State.CDataBracket2 : State.CData;
                    break;
                }
                case State.Pi:
                {
                    var k = span[i..].IndexOf((byte)'?');
                    if (k < 0)
                    {
                        return span.Length;
                    }
                    i += k + 1;
                    _state = State.PiQuestion;
                    break;
                }
                case State.PiQuestion:
                {
                    var b = span[i++];
                    if (b == (byte)'>')
                    {
                        complete = true;
                        return i;
                    }
                    _state = b == (byte)'?' ? State.PiQuestion : State.Pi;
                    break;
                }
                default:
                    throw new InvalidOperationException("scanner not started");
            }
        }
        return span.Length;
    }

    /// <summary>Decides what follows a '&lt;'. Consumes the byte unless it starts a name.</summary>
    private void OnLessThan(byte b, FramerLimits limits, ref int i)
    {
        var atTop = Kind == UnitKind.None;
        switch (b)
        {
            case (byte)'/':
                i++;
                if (atTop)
                {
                    if (_prolog)
                    {
                        throw NotWellFormed("end tag before the stream header");
                    }
                    Kind = UnitKind.StreamClose;
                }
                _state = State.EndTag;
                return;
            case (byte)'!':
                i++;
                _state = State.Bang;
                return;
            case (byte)'?':
                // RFC 6120 §11.1: no processing instructions; only the XML declaration, before the header.
                if (!atTop || !_prolog)
                {
                    throw Restricted("processing instruction");
                }
                i++;
                Kind = UnitKind.Declaration;
                _state = State.Pi;
                return;
        }

        if (b < 0x80 && !XmlChars.IsAsciiNameStart(b))
        {
            throw NotWellFormed("invalid character after '<'");
        }

        // A start tag; the byte is the first of its name and is left for the StartTag state.
        if (atTop)
        {
            Kind = _prolog ? UnitKind.Header : UnitKind.Stanza;
        }
        _depth++;
        _elements++;
        if (Kind == UnitKind.Stanza)
        {
            if (_depth > limits.MaxDepth)
            {
                throw new XmppStreamException(StreamErrorCondition.PolicyViolation, "stanza nested too deeply");
            }
            if (_elements > limits.MaxElements)
            {
                throw new XmppStreamException(StreamErrorCondition.PolicyViolation, "too many elements in a stanza");
            }
        }
        _state = State.StartTag;
    }

    private void OnBang(byte b)
    {
        if (b == (byte)'[')
        {
            if (Kind == UnitKind.None)
            {
                // CDATA directly under <stream:stream> is character data at stream level, which carries no
                // meaning in XMPP; before the header it is not even well-formed.
                throw _prolog
                    ? NotWellFormed("CDATA before the stream header")
                    : new XmppStreamException(StreamErrorCondition.BadFormat, "character data at stream level");
            }
            _cdataMatched = 1;
            _state = State.CDataOpening;
            return;
        }

        // RFC 6120 §11.1: comments ("<!-") and DTD markup ("<!DOCTYPE", "<!ENTITY" …) are refused.
        throw Restricted(b == (byte)'-' ? "comment" : "DTD or markup declaration");
    }

    private static XmppStreamException NotWellFormed(string text) =>
        new(StreamErrorCondition.NotWellFormed, text);

    private static XmppStreamException Restricted(string text) =>
        new(StreamErrorCondition.RestrictedXml, text);
}
