using System.Buffers;
using System.Text;
using System.Xml.Linq;
using XmppConf.Core.Stanzas;

namespace XmppConf.Core.Xml;

/// <summary>
/// Builds <see cref="XElement"/>s straight from the UTF-8 bytes of one complete unit that
/// <see cref="MarkupScanner"/> has delimited, checking XML 1.0 and Namespaces in XML well-formedness
/// (RFC 6120 §11.5) as it goes. The stream header's namespace declarations stay in scope for every
/// stanza. No XmlReader: one pass, no per-stanza reader or decoder allocations, and our own errors.
/// </summary>
/// <remarks>
/// XLinq atomises every XName for as long as its XNamespace lives. It holds namespaces weakly, but the ones this
/// server keeps in static fields (no namespace, xml, xmlns, jabber:client, the stream, SASL, MUC …) live for the
/// whole process, and so would every element and attribute name a peer invents in them — unprefixed attributes
/// on any element included, as they are in no namespace. Each such name therefore passes an
/// <see cref="XmlNameBudget"/> before it is created: known names always, new ones while the server-wide budget
/// lasts (Limits:MaxDistinctXmlNames), then the stanza is refused with &lt;policy-violation/&gt;. Before
/// authentication no new name is admitted at all: an unknown element is refused, an unknown attribute is dropped
/// (nothing sent before authentication is relayed, and RFC 6120 §8.4 has unknown content ignored). Names in any
/// other namespace die with the last stanza that uses it, so they are not counted.
/// </remarks>
internal sealed class XmlFragmentParser
{
    /// <summary>
    /// XLinq checks each added attribute against all earlier ones, so thousands of attributes on one element
    /// would cost quadratic time; no XMPP element comes near this.
    /// </summary>
    public const int MaxAttributesPerElement = 256;

    private static readonly XName XmlnsAttribute = XNamespace.None.GetName("xmlns");
    private static readonly XNamespace StreamsNamespace = XNamespace.Get(Ns.Streams);
    private static readonly XNamespace ClientNamespace = XNamespace.Get(Ns.Client);
    private static readonly XNamespace ServerNamespace = XNamespace.Get(Ns.Server);

    private readonly NamespaceScope _scope = new();
    private readonly XmlNameBudget? _names;
    // Scratch kept per connection: small to start (they double when a stanza needs more), since most
    // stanzas are shallow and every idle connection holds them.
    private RawAttribute[] _attributes = new RawAttribute[4];
    private OpenElement[] _open = new OpenElement[4];
    private byte[]? _rootName;

    /// <param name="names">Admits names in the namespaces held for good; null admits every name (trusted input only).</param>
    public XmlFragmentParser(XmlNameBudget? names = null)
    {
        _names = names;
    }

    /// <summary>False before authentication: only names already known to <see cref="XmlNameBudget"/> are accepted.</summary>
    public bool AdmitNewNames { get; set; } = true;

    /// <summary>Forgets the stream header (stream restart, RFC 6120 §4.3.3).</summary>
    public void Reset()
    {
        _scope.PopTo(0);
        _rootName = null;
    }

    /// <summary>
    /// Parses the start tag "&lt;stream:stream …&gt;" (or "…/&gt;") and keeps its namespace declarations in
    /// scope for the stanzas that follow.
    /// </summary>
    public XElement ParseHeader(ReadOnlySpan<byte> unit, out XNamespace contentNamespace)
    {
        Reset();
        var scratch = ArrayPool<char>.Shared.Rent(unit.Length);
        try
        {
            var pos = 1;
            var header = ReadStartTag(unit, ref pos, scratch, out _, out var nameLength, out var prefixed);
            if (pos != unit.Length)
            {
                throw XmlChars.NotWellFormed("malformed stream header");
            }

            // RFC 6120 §4.9.3.10: the root must be <stream> in http://etherx.jabber.org/streams. Declaring that
            // namespace as the default instead of through a prefix leaves no room for the content namespace,
            // which §4.9.3.2 calls a missing prefix on an element that needs one.
            if (header.Name.Namespace == StreamsNamespace && !prefixed)
            {
                throw new XmppStreamException(StreamErrorCondition.BadNamespacePrefix, "the stream element needs a prefix");
            }
            if (header.Name.Namespace != StreamsNamespace || header.Name.LocalName != "stream")
            {
                throw new XmppStreamException(StreamErrorCondition.InvalidNamespace, "root is not a stream element");
            }

            // RFC 6120 §4.8.2, §4.9.3.10: the default namespace is the content namespace, jabber:client or jabber:server.
            var content = _scope.Resolve([]);
            if (content != ClientNamespace && content != ServerNamespace)
            {
                throw new XmppStreamException(StreamErrorCondition.InvalidNamespace, "unsupported content namespace");
            }

            contentNamespace = content;
            _rootName = unit.Slice(1, nameLength).ToArray();
            return header;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(scratch);
        }
    }

    /// <summary>Parses "&lt;/stream:stream&gt;", which must name the header's element exactly.</summary>
    public void ParseStreamClose(ReadOnlySpan<byte> unit)
    {
        var pos = 2;
        if (_rootName is null || !unit[pos..].StartsWith(_rootName))
        {
            throw XmlChars.NotWellFormed("end tag does not match the stream header");
        }
        pos += _rootName.Length;
        SkipWhitespace(unit, ref pos);
        if (pos != unit.Length - 1 || unit[pos] != (byte)'>')
        {
            throw XmlChars.NotWellFormed("end tag does not match the stream header");
        }
    }

    /// <summary>Parses one complete first-level element of the stream.</summary>
    public XElement ParseStanza(ReadOnlySpan<byte> unit)
    {
        var baseMark = _scope.Count;
        var scratch = ArrayPool<char>.Shared.Rent(unit.Length);
        var depth = 0;
        try
        {
            XElement? root = null;
            XElement? current = null;
            var textLength = 0;
            var pos = 0;
            while (true)
            {
                var next = At(unit, pos + 1);
                if (next == (byte)'/')
                {
                    if (depth == 0)
                    {
                        throw XmlChars.NotWellFormed("unexpected end tag");
                    }
                    Flush(current!, scratch, ref textLength);
                    pos += 2;
                    ref var open = ref _open[depth - 1];
                    var name = unit.Slice(open.NameStart, open.NameLength);
                    if (!unit[pos..].StartsWith(name))
                    {
                        throw XmlChars.NotWellFormed("mismatched end tag");
                    }
                    pos += name.Length;
                    SkipWhitespace(unit, ref pos);
                    if (At(unit, pos) != (byte)'>')
                    {
                        throw XmlChars.NotWellFormed("mismatched end tag");
                    }
                    pos++;
                    _scope.PopTo(open.ScopeMark);
                    open = default;
                    if (--depth == 0)
                    {
                        return Finish(unit, pos, root!);
                    }
                    current = _open[depth - 1].Element;
                }
                else if (next == (byte)'!')
                {
                    // The scanner admits only CDATA sections here.
                    if (!unit[pos..].StartsWith("<![CDATA["u8) || depth == 0)
                    {
                        throw new XmppStreamException(StreamErrorCondition.RestrictedXml, "markup declaration");
                    }
                    pos += 9;
                    var end = unit[pos..].IndexOf("]]>"u8);
                    if (end < 0)
                    {
                        throw XmlChars.NotWellFormed("unterminated CDATA section");
                    }
                    textLength += XmlTextDecoder.DecodeCData(unit.Slice(pos, end), scratch.AsSpan(textLength));
                    pos += end + 3;
                }
                else
                {
                    if (current is not null)
                    {
                        Flush(current, scratch, ref textLength);
                    }
                    pos++;
                    var nameStart = pos;
                    var mark = _scope.Count;
                    var element = ReadStartTag(unit, ref pos, scratch, out var empty, out var nameLength, out _);
                    if (current is null)
                    {
                        root = element;
                    }
                    else
                    {
                        current.Add(element);
                    }

                    if (empty)
                    {
                        _scope.PopTo(mark);
                        if (depth == 0)
                        {
                            return Finish(unit, pos, element);
                        }
                    }
                    else
                    {
                        if (depth == _open.Length)
                        {
                            Array.Resize(ref _open, depth * 2);
                        }
                        _open[depth++] = new OpenElement(element, nameStart, nameLength, mark);
                        current = element;
                    }
                }

                var lt = unit[pos..].IndexOf((byte)'<');
                if (lt < 0)
                {
                    throw XmlChars.NotWellFormed("unexpected end of element");
                }
                if (lt > 0)
                {
                    textLength += XmlTextDecoder.DecodeText(unit.Slice(pos, lt), scratch.AsSpan(textLength));
                }
                pos += lt;
            }
        }
        finally
        {
            _scope.PopTo(baseMark);
            _open.AsSpan(0, depth).Clear();
            ArrayPool<char>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Reads a start tag from just after its '&lt;' to just after its '&gt;', declares its namespace bindings
    /// (the caller pops them) and returns the element with its attributes.
    /// </summary>
    private XElement ReadStartTag(
        ReadOnlySpan<byte> s, ref int pos, char[] scratch, out bool empty, out int nameLength, out bool prefixed)
    {
        var nameStart = pos;
        XmlChars.ReadQName(s, ref pos, out var colon);
        nameLength = pos - nameStart;
        prefixed = colon >= 0;

        var count = 0;
        while (true)
        {
            var spaced = SkipWhitespace(s, ref pos);
            var b = At(s, pos);
            if (b == (byte)'>')
            {
                pos++;
                empty = false;
                break;
            }
            if (b == (byte)'/')
            {
                if (At(s, pos + 1) != (byte)'>')
                {
                    throw XmlChars.NotWellFormed("malformed start tag");
                }
                pos += 2;
                empty = true;
                break;
            }
            if (!spaced)
            {
                throw XmlChars.NotWellFormed("whitespace expected before an attribute");
            }
            if (count == MaxAttributesPerElement)
            {
                throw new XmppStreamException(StreamErrorCondition.PolicyViolation, "too many attributes");
            }
            if (count == _attributes.Length)
            {
                Array.Resize(ref _attributes, count * 2);
            }
            _attributes[count++] = ReadAttribute(s, ref pos, scratch);
        }

        try
        {
            DeclareNamespaces(s, count);
            var element = new XElement(ResolveName(s, nameStart, nameLength, colon, isAttribute: false)!);
            for (var i = 0; i < count; i++)
            {
                ref var a = ref _attributes[i];
                if (AttributeName(s, a) is { } name)
                {
                    element.Add(new XAttribute(name, a.Value));
                }
                a = default;
            }
            return element;
        }
        catch (InvalidOperationException)
        {
            // XElement refuses a second attribute with the same expanded name (Namespaces in XML §6.3).
            throw XmlChars.NotWellFormed("duplicate attribute");
        }
        finally
        {
            _attributes.AsSpan(0, count).Clear();
        }
    }

    private static RawAttribute ReadAttribute(ReadOnlySpan<byte> s, ref int pos, char[] scratch)
    {
        var nameStart = pos;
        XmlChars.ReadQName(s, ref pos, out var colon);
        var nameLength = pos - nameStart;
        SkipWhitespace(s, ref pos);
        if (At(s, pos) != (byte)'=')
        {
            throw XmlChars.NotWellFormed("'=' expected after an attribute name");
        }
        pos++;
        SkipWhitespace(s, ref pos);
        var quote = At(s, pos);
        if (quote != (byte)'"' && quote != (byte)'\'')
        {
            throw XmlChars.NotWellFormed("attribute value must be quoted");
        }
        pos++;
        var length = s[pos..].IndexOf(quote);
        if (length < 0)
        {
            throw XmlChars.NotWellFormed("unterminated attribute value");
        }
        var chars = scratch.AsSpan(0, XmlTextDecoder.DecodeAttributeValue(s.Slice(pos, length), scratch));
        pos += length + 1;

        var kind = AttributeKind.Plain;
        var name = s.Slice(nameStart, nameLength);
        if (colon < 0 && name.SequenceEqual("xmlns"u8))
        {
            kind = AttributeKind.DefaultDeclaration;
        }
        else if (colon - nameStart == 5 && name.StartsWith("xmlns"u8))
        {
            kind = AttributeKind.PrefixDeclaration;
        }

        // Namespace URIs repeat on every stanza; interning them saves a string each time.
        var value = kind == AttributeKind.Plain ? new string(chars) : NameTable.Intern(chars);
        return new RawAttribute(nameStart, nameLength, colon, kind, value);
    }

    /// <summary>Namespaces in XML 1.0 §3 and §4: applies the tag's xmlns attributes, refusing reserved bindings.</summary>
    private void DeclareNamespaces(ReadOnlySpan<byte> s, int count)
    {
        for (var i = 0; i < count; i++)
        {
            ref readonly var a = ref _attributes[i];
            if (a.Kind == AttributeKind.DefaultDeclaration)
            {
                if (a.Value is XNamespaceXml or XNamespaceXmlns)
                {
                    throw XmlChars.NotWellFormed("reserved namespace bound as default");
                }
                _scope.Declare(string.Empty, XNamespace.Get(a.Value));
            }
            else if (a.Kind == AttributeKind.PrefixDeclaration)
            {
                var prefix = Intern(s.Slice(a.Colon + 1, a.NameStart + a.NameLength - a.Colon - 1));
                if (prefix == "xmlns" || a.Value.Length == 0 || a.Value == XNamespaceXmlns
                    || (prefix == "xml") != (a.Value == XNamespaceXml))
                {
                    throw XmlChars.NotWellFormed("illegal namespace declaration");
                }
                if (prefix != "xml")
                {
                    _scope.Declare(prefix, XNamespace.Get(a.Value));
                }
            }
        }
    }

    /// <summary>Null for an attribute to be dropped (see <see cref="Admit"/>).</summary>
    private XName? AttributeName(ReadOnlySpan<byte> s, in RawAttribute a) => a.Kind switch
    {
        AttributeKind.DefaultDeclaration => XmlnsAttribute,
        AttributeKind.PrefixDeclaration => Admit(XNamespace.Xmlns,
            Intern(s.Slice(a.Colon + 1, a.NameStart + a.NameLength - a.Colon - 1)), isAttribute: true),
        _ => ResolveName(s, a.NameStart, a.NameLength, a.Colon, isAttribute: true),
    };

    /// <summary>
    /// Creates the XName once <see cref="XmlNameBudget"/> allows it. Before authentication an unknown attribute
    /// yields null and is dropped: nothing sent then is relayed, and RFC 6120 §8.4 has unknown content ignored.
    /// </summary>
    private XName? Admit(XNamespace ns, string local, bool isAttribute)
    {
        var admission = _names?.Admit(ns, local, AdmitNewNames) ?? XmlNameAdmission.Admitted;
        return admission switch
        {
            XmlNameAdmission.Admitted => ns.GetName(local),
            XmlNameAdmission.Unknown when isAttribute => null,
            // RFC 6120 §13.12: names the process would keep for good are a resource a peer must not exhaust.
            XmlNameAdmission.Unknown => throw new XmppStreamException(
                StreamErrorCondition.PolicyViolation, "unknown element name before authentication"),
            XmlNameAdmission.TooLong => throw new XmppStreamException(
                StreamErrorCondition.PolicyViolation, "element or attribute name too long"),
            _ => throw new XmppStreamException(
                StreamErrorCondition.PolicyViolation, "this server accepts no more new element or attribute names"),
        };
    }

    private XName? ResolveName(ReadOnlySpan<byte> s, int start, int length, int colon, bool isAttribute)
    {
        if (colon < 0)
        {
            // Namespaces in XML §6.2: unprefixed attributes are in no namespace; elements take the default.
            var ns = isAttribute ? XNamespace.None : _scope.Resolve([]) ?? XNamespace.None;
            return Admit(ns, Intern(s.Slice(start, length)), isAttribute);
        }

        var prefix = s[start..colon];
        var local = Intern(s.Slice(colon + 1, start + length - colon - 1));
        if (prefix.SequenceEqual("xml"u8))
        {
            return Admit(XNamespace.Xml, local, isAttribute);
        }
        if (prefix.SequenceEqual("xmlns"u8))
        {
            throw XmlChars.NotWellFormed("the xmlns prefix is reserved");
        }

        Span<char> chars = stackalloc char[128];
        var resolved = prefix.Length <= chars.Length
            ? _scope.Resolve(chars[..Encoding.UTF8.GetChars(prefix, chars)])
            : _scope.Resolve(Encoding.UTF8.GetString(prefix));
        if (resolved is null)
        {
            throw new XmppStreamException(StreamErrorCondition.BadNamespacePrefix, "unbound namespace prefix");
        }
        return Admit(resolved, local, isAttribute);
    }

    /// <summary>Names were validated (and their UTF-8 decoded once) by <see cref="XmlChars.ReadQName"/>.</summary>
    private static string Intern(ReadOnlySpan<byte> name)
    {
        if (name.Length > 128)
        {
            return Encoding.UTF8.GetString(name);
        }
        Span<char> chars = stackalloc char[128];
        return NameTable.Intern(chars[..Encoding.UTF8.GetChars(name, chars)]);
    }

    private static void Flush(XElement element, char[] scratch, ref int length)
    {
        if (length > 0)
        {
            element.Add(new string(scratch, 0, length));
            length = 0;
        }
    }

    private static XElement Finish(ReadOnlySpan<byte> unit, int pos, XElement root)
    {
        if (pos != unit.Length)
        {
            throw XmlChars.NotWellFormed("trailing bytes after element");
        }
        return root;
    }

    private static bool SkipWhitespace(ReadOnlySpan<byte> s, ref int pos)
    {
        var start = pos;
        while (pos < s.Length && XmlChars.IsWhitespace(s[pos]))
        {
            pos++;
        }
        return pos > start;
    }

    /// <summary>The byte at <paramref name="pos"/>, or 0 (never valid in XML) past the end.</summary>
    private static byte At(ReadOnlySpan<byte> s, int pos) => (uint)pos < (uint)s.Length ? s[pos] : (byte)0;

    private const string XNamespaceXml = "http://www.w3.org/XML/1998/namespace";
    private const string XNamespaceXmlns = "http://www.w3.org/2000/xmlns/";

    private enum AttributeKind : byte
    {
        Plain,
        DefaultDeclaration,
        PrefixDeclaration,
    }

    private readonly record struct RawAttribute(int NameStart, int NameLength, int Colon, AttributeKind Kind, string Value);

    private readonly record struct OpenElement(XElement Element, int NameStart, int NameLength, int ScopeMark);
}
