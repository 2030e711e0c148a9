using System.Buffers;
using System.Xml;
using System.Xml.Linq;
using XmppConf.Core.Stanzas;

namespace XmppConf.Core.Xml;

/// <summary>
/// Cuts an incoming XMPP stream (RFC 6120 §4) into frames: the stream header, each first-level element,
/// and the closing tag. This is the one place where bytes become <see cref="XElement"/>s.
/// </summary>
/// <remarks>
/// <para>Two passes over each unit: <see cref="MarkupScanner"/> finds where it ends, resumably and with the
/// limits enforced before anything is buffered beyond them, then <see cref="XmlFragmentParser"/> parses those
/// bytes in place (copied to a pooled buffer only when they span several segments).</para>
/// <para>Pipelines contract: when <see cref="TryReadFrame"/> returns false the unconsumed bytes left in the
/// buffer must be offered again, with later bytes appended, on the next call (AdvanceTo(buffer.Start,
/// buffer.End)). The framer remembers how far it has scanned, so each byte is scanned once. The pipe's
/// pause threshold must exceed <see cref="FramerLimits.MaxStanzaBytes"/>, or a large stanza can never complete.</para>
/// <para>Elements keep their namespace declarations as attributes, as XElement.Load does; so does the header
/// element (xmlns, xmlns:stream). Text is kept exactly, whitespace-only text included.</para>
/// <para>Not thread-safe: one framer per connection, used by its read loop.</para>
/// </remarks>
public sealed class XmppStreamFramer
{
    /// <summary>Largest XML declaration or stream header accepted (RFC 6120 §13.12).</summary>
    public const int MaxStreamHeaderBytes = 8192;

    /// <summary>More attributes than this on one element is a policy violation.</summary>
    public const int MaxAttributesPerElement = XmlFragmentParser.MaxAttributesPerElement;

    private readonly MarkupScanner _scanner = new();
    private readonly XmlFragmentParser _parser;
    private FramerLimits _limits;
    private Phase _phase;
    private bool _sawDeclaration;
    private bool _pendingClose;
    private XmppStreamException? _failure;

    /// <param name="names">
    /// The server-wide budget of names in namespaces held for good (see <see cref="XmlNameBudget"/>); null admits
    /// every name, for trusted input only.
    /// </param>
    public XmppStreamFramer(FramerLimits limits, XmlNameBudget? names = null)
    {
        _limits = Validate(limits);
        _parser = new XmlFragmentParser(names) { AdmitNewNames = limits.AdmitNewNames };
    }

    private enum Phase
    {
        /// <summary>Before the stream header: whitespace, one XML declaration, then the header.</summary>
        Prolog,
        Open,
        Closed,
    }

    /// <summary>Limits for units not yet complete; the server raises them after authentication.</summary>
    public FramerLimits Limits
    {
        get => _limits;
        set
        {
            _limits = Validate(value);
            _parser.AdmitNewNames = value.AdmitNewNames;
        }
    }

    /// <summary>The default namespace declared by the stream header (jabber:client or jabber:server), once open.</summary>
    public XNamespace? ContentNamespace { get; private set; }

    /// <summary>
    /// Consumes bytes from the front of <paramref name="buffer"/> and returns true with one frame when a
    /// complete unit is available; false when more bytes are needed, leaving the incomplete unit in the buffer.
    /// Whitespace between units (keepalives, RFC 6120 §4.6.1) is consumed without a frame.
    /// </summary>
    /// <exception cref="XmppStreamException">The input is stream-fatal; every later call throws it again.</exception>
    public bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out XmppFrame frame)
    {
        frame = default;
        if (_failure is not null)
        {
            throw new XmppStreamException(_failure.Condition, _failure.Text);
        }
        if (_scanner.Offset > buffer.Length)
        {
            throw new InvalidOperationException("The buffer must start with the bytes left unconsumed by the previous call.");
        }

        try
        {
            return ReadFrame(ref buffer, out frame);
        }
        catch (XmppStreamException ex)
        {
            _failure = ex;
            throw;
        }
        catch (Exception ex) when (ex is XmlException or ArgumentException or InvalidOperationException)
        {
            // XLinq re-checks names against the XML 1.0 4th-edition tables: a name only the 5th edition allows
            // (e.g. <ẞ/>) cannot be represented as an XName, so it is refused like any other bad name.
            _failure = new XmppStreamException(StreamErrorCondition.NotWellFormed, "not well-formed", ex);
            throw _failure;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _failure = new XmppStreamException(StreamErrorCondition.InternalServerError, "framer fault", ex);
            throw _failure;
        }
    }

    /// <summary>
    /// Starts a new stream on the same connection, after STARTTLS or SASL success (RFC 6120 §5.4.3.3, §6.4.6):
    /// the next bytes must be a fresh stream header, optionally preceded by an XML declaration.
    /// After STARTTLS the caller must also drop any bytes it still holds from before the TLS handshake: they
    /// arrived in plaintext and must not be read as part of the protected stream (RFC 6120 §5.4.3.3).
    /// </summary>
    public void Reset()
    {
        _scanner.End();
        _parser.Reset();
        _phase = Phase.Prolog;
        _sawDeclaration = false;
        _pendingClose = false;
        _failure = null;
        ContentNamespace = null;
    }

    private static FramerLimits Validate(FramerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxStanzaBytes, 1, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxDepth, 1, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxElements, 1, nameof(limits));
        return limits;
    }

    private bool ReadFrame(ref ReadOnlySequence<byte> buffer, out XmppFrame frame)
    {
        frame = default;
        if (_pendingClose)
        {
            // The header was "<stream:stream …/>": the stream opened and closed in one tag.
            _pendingClose = false;
            _phase = Phase.Closed;
            frame = new XmppFrame(FrameKind.StreamClose, null, 0);
            return true;
        }

        while (true)
        {
            if (!_scanner.InUnit && !BeginUnit(ref buffer))
            {
                return false;
            }

            var maxBytes = _phase == Phase.Prolog ? MaxStreamHeaderBytes : _limits.MaxStanzaBytes;
            if (!_scanner.Scan(buffer, maxBytes, _limits))
            {
                return false;
            }

            var length = _scanner.Offset;
            var kind = _scanner.Kind;
            var selfClosing = _scanner.SelfClosing;
            var element = ParseUnit(buffer.Slice(0, length), kind);
            buffer = buffer.Slice(length);
            _scanner.End();

            switch (kind)
            {
                case UnitKind.Declaration:
                    continue;
                case UnitKind.Header:
                    _phase = Phase.Open;
                    _pendingClose = selfClosing;
                    frame = new XmppFrame(FrameKind.StreamOpen, element, length);
                    return true;
                case UnitKind.StreamClose:
                    _phase = Phase.Closed;
                    frame = new XmppFrame(FrameKind.StreamClose, null, length);
                    return true;
                default:
                    frame = new XmppFrame(FrameKind.Stanza, element, length);
                    return true;
            }
        }
    }

    /// <summary>Skips whitespace; true when a unit starts at the front of the buffer.</summary>
    private bool BeginUnit(ref ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        reader.AdvancePastAny((byte)' ', (byte)'\t', (byte)'\r', (byte)'\n');
        buffer = buffer.Slice(reader.Position);
        if (!reader.TryPeek(out var first))
        {
            return false;
        }

        if (first != (byte)'<')
        {
            throw _phase switch
            {
                // RFC 6120 §11.6: U+FEFF is a zero width no-break space, never a byte order mark, so a leading
                // BOM is character data before the root element like any other.
                Phase.Prolog => new XmppStreamException(StreamErrorCondition.NotWellFormed, "content before the stream header"),
                // Text directly under <stream:stream> means nothing in XMPP (RFC 6120 §4.6.1 allows only whitespace).
                Phase.Open => new XmppStreamException(StreamErrorCondition.BadFormat, "character data at stream level"),
                _ => new XmppStreamException(StreamErrorCondition.NotWellFormed, "content after the stream was closed"),
            };
        }
        if (_phase == Phase.Closed)
        {
            throw new XmppStreamException(StreamErrorCondition.NotWellFormed, "content after the stream was closed");
        }

        _scanner.Begin(prolog: _phase == Phase.Prolog);
        return true;
    }

    private XElement? ParseUnit(in ReadOnlySequence<byte> unit, UnitKind kind)
    {
        if (unit.IsSingleSegment)
        {
            return ParseUnit(unit.FirstSpan, kind);
        }

        var length = (int)unit.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            unit.CopyTo(rented);
            return ParseUnit(rented.AsSpan(0, length), kind);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private XElement? ParseUnit(ReadOnlySpan<byte> unit, UnitKind kind)
    {
        switch (kind)
        {
            case UnitKind.Declaration:
                // XML 1.0 §2.8: at most one declaration, at the start; RFC 6120 §11.1 refuses any other PI.
                if (_sawDeclaration)
                {
                    throw new XmppStreamException(StreamErrorCondition.RestrictedXml, "processing instruction");
                }
                XmlDeclaration.Validate(unit);
                _sawDeclaration = true;
                return null;
            case UnitKind.Header:
                var header = _parser.ParseHeader(unit, out var content);
                ContentNamespace = content;
                return header;
            case UnitKind.StreamClose:
                _parser.ParseStreamClose(unit);
                return null;
            default:
                return _parser.ParseStanza(unit);
        }
    }
}
