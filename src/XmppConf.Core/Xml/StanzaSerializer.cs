using System.Buffers;
using System.Xml.Linq;

namespace XmppConf.Core.Xml;

/// <summary>
/// Writes a stanza as the UTF-8 bytes that go inside an open stream: no XML declaration, no formatting, and no
/// declaration of what the stream header already declares: the content namespace (default) and the "stream"
/// prefix. So &lt;message xmlns='jabber:client'&gt; goes out as &lt;message&gt; (RFC 6120 §4.8.3 content
/// namespace), while payload namespaces are declared where they start.
/// </summary>
/// <remarks>
/// Element namespaces are written as default declarations unless a prefix the element carries (or the
/// stream's "stream" prefix) is bound to them; namespaced attributes reuse an in-scope prefix or get a new one.
/// Comments and processing instructions are skipped (RFC 6120 §11.1 forbids sending them). Text containing
/// characters XML cannot carry throws <see cref="ArgumentException"/> rather than corrupt the peer's stream.
/// Serialise a broadcast stanza once and send the bytes to every recipient.
/// </remarks>
public static class StanzaSerializer
{
    private const string ForbiddenChars =
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F" +
        "\uFFFE\uFFFF";

    // '>' is escaped in text too, so "]]>" can never appear; CR and tabs/newlines in attributes are escaped
    // because the receiver's XML parser would otherwise normalise them away (XML 1.0 §2.11, §3.3.3).
    private static readonly SearchValues<char> TextSpecials = SearchValues.Create("&<>\r" + ForbiddenChars);
    private static readonly SearchValues<char> AttributeSpecials = SearchValues.Create("&<>'\t\n\r" + ForbiddenChars);

    private static readonly XNamespace StreamsNamespace = XNamespace.Get(Ns.Streams);

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static OutputScope? t_scope;

    /// <summary>The stanza as UTF-8, for a stream whose default namespace is jabber:client.</summary>
    public static byte[] ToUtf8(XElement stanza) => ToUtf8(stanza, Ns.Client);

    /// <summary>The stanza as UTF-8, for a stream whose default namespace is <paramref name="contentNamespace"/>.</summary>
    public static byte[] ToUtf8(XElement stanza, string contentNamespace)
    {
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(1024);
        t_buffer = null;
        try
        {
            WriteTo(stanza, buffer, contentNamespace);
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            buffer.ResetWrittenCount();
            // Keep a modest buffer per thread; let a rare huge one go.
            if (buffer.Capacity <= 64 * 1024)
            {
                t_buffer = buffer;
            }
        }
    }

    /// <summary>Appends the stanza to <paramref name="output"/>, for a stream whose default namespace is jabber:client.</summary>
    public static void WriteTo(XElement stanza, IBufferWriter<byte> output) => WriteTo(stanza, output, Ns.Client);

    /// <summary>Appends the stanza to <paramref name="output"/>, for a stream whose default namespace is <paramref name="contentNamespace"/>.</summary>
    public static void WriteTo(XElement stanza, IBufferWriter<byte> output, string contentNamespace)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(contentNamespace);

        var scope = t_scope ?? new OutputScope();
        t_scope = null;
        try
        {
            // What the stream header declared: <stream:stream xmlns='…' xmlns:stream='…'>.
            scope.Push(string.Empty, XNamespace.Get(contentNamespace));
            scope.Push("stream", StreamsNamespace);
            var o = new Utf8Output(output);
            WriteElement(stanza, ref o, scope);
            o.Flush();
        }
        finally
        {
            scope.Clear();
            t_scope = scope;
        }
    }

    private static void WriteElement(XElement element, ref Utf8Output o, OutputScope scope)
    {
        var mark = scope.Count;

        // Keep prefixes the element declares (a parsed <x:foo xmlns:x='…'/> stays prefixed), unless redundant.
        for (var a = element.FirstAttribute; a is not null; a = a.NextAttribute)
        {
            if (a.Name.Namespace == XNamespace.Xmlns && a.Name.LocalName != "xml")
            {
                var declared = XNamespace.Get(a.Value);
                if (scope.Resolve(a.Name.LocalName) != declared)
                {
                    scope.Push(a.Name.LocalName, declared);
                }
            }
        }

        var ns = element.Name.Namespace;
        string? prefix = null;
        if (scope.Resolve(string.Empty) != ns)
        {
            prefix = ns == XNamespace.None ? null : scope.FindPrefix(ns);
            if (prefix is null)
            {
                scope.Push(string.Empty, ns);
            }
        }

        // Namespaced attributes need a prefix; xml: is always bound.
        for (var a = element.FirstAttribute; a is not null; a = a.NextAttribute)
        {
            var attributeNs = a.Name.Namespace;
            if (!a.IsNamespaceDeclaration && attributeNs != XNamespace.None && attributeNs != XNamespace.Xml
                && scope.FindPrefix(attributeNs) is null)
            {
                scope.Push(scope.NewPrefix(), attributeNs);
            }
        }

        o.Write((byte)'<');
        WriteQName(ref o, prefix, element.Name.LocalName);
        for (var i = mark; i < scope.Count; i++)
        {
            var (declaredPrefix, declaredNs) = scope[i];
            if (declaredPrefix.Length == 0)
            {
                o.Write(" xmlns='"u8);
            }
            else
            {
                o.Write(" xmlns:"u8);
                o.WriteName(declaredPrefix);
                o.Write("='"u8);
            }
            WriteEscaped(ref o, declaredNs.NamespaceName, AttributeSpecials);
            o.Write((byte)'\'');
        }
        for (var a = element.FirstAttribute; a is not null; a = a.NextAttribute)
        {
            if (a.IsNamespaceDeclaration)
            {
                continue;
            }
            var attributeNs = a.Name.Namespace;
            o.Write((byte)' ');
            WriteQName(ref o,
                attributeNs == XNamespace.None ? null : attributeNs == XNamespace.Xml ? "xml" : scope.FindPrefix(attributeNs),
                a.Name.LocalName);
            o.Write("='"u8);
            WriteEscaped(ref o, a.Value, AttributeSpecials);
            o.Write((byte)'\'');
        }

        if (element.IsEmpty)
        {
            o.Write("/>"u8);
        }
        else
        {
            o.Write((byte)'>');
            if (!element.HasElements)
            {
                // Text-only content is stored as one string; reading Value avoids materialising an XText.
                WriteEscaped(ref o, element.Value, TextSpecials);
            }
            else
            {
                for (var node = element.FirstNode; node is not null; node = node.NextNode)
                {
                    if (node is XElement child)
                    {
                        WriteElement(child, ref o, scope);
                    }
                    else if (node is XText text)
                    {
                        WriteEscaped(ref o, text.Value, TextSpecials);
                    }
                }
            }
            o.Write("</"u8);
            WriteQName(ref o, prefix, element.Name.LocalName);
            o.Write((byte)'>');
        }

        scope.PopTo(mark);
    }

    private static void WriteQName(ref Utf8Output o, string? prefix, string localName)
    {
        if (prefix is not null)
        {
            o.WriteName(prefix);
            o.Write((byte)':');
        }
        o.WriteName(localName);
    }

    private static void WriteEscaped(ref Utf8Output o, string value, SearchValues<char> specials)
    {
        var rest = value.AsSpan();
        while (true)
        {
            var k = rest.IndexOfAny(specials);
            if (k < 0)
            {
                o.Write(rest);
                return;
            }
            o.Write(rest[..k]);
            o.Write(rest[k] switch
            {
                '&' => "&amp;"u8,
                '<' => "&lt;"u8,
                '>' => "&gt;"u8,
                '\'' => "&apos;"u8,
                '\t' => "&#x9;"u8,
                '\n' => "&#xA;"u8,
                '\r' => "&#xD;"u8,
                _ => throw new ArgumentException($"U+{(int)rest[k]:X4} cannot be sent in XML."),
            });
            rest = rest[(k + 1)..];
        }
    }

    /// <summary>Namespace bindings of the output being written; the default namespace is the prefix "".</summary>
    private sealed class OutputScope
    {
        private readonly List<(string Prefix, XNamespace Namespace)> _bindings = new(8);
        private int _generated;

        public int Count => _bindings.Count;

        public (string Prefix, XNamespace Namespace) this[int index] => _bindings[index];

        public void Push(string prefix, XNamespace ns) => _bindings.Add((prefix, ns));

        public void PopTo(int mark) => _bindings.RemoveRange(mark, _bindings.Count - mark);

        public void Clear()
        {
            _bindings.Clear();
            _generated = 0;
        }

        public XNamespace? Resolve(string prefix)
        {
            for (var i = _bindings.Count - 1; i >= 0; i--)
            {
                if (_bindings[i].Prefix == prefix)
                {
                    return _bindings[i].Namespace;
                }
            }
            return null;
        }

        /// <summary>A non-default prefix currently bound (not shadowed) to <paramref name="ns"/>, or null.</summary>
        public string? FindPrefix(XNamespace ns)
        {
            for (var i = _bindings.Count - 1; i >= 0; i--)
            {
                var (prefix, bound) = _bindings[i];
                if (bound == ns && prefix.Length > 0 && Resolve(prefix) == ns)
                {
                    return prefix;
                }
            }
            return null;
        }

        public string NewPrefix()
        {
            string prefix;
            do
            {
                prefix = "ns" + (++_generated).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            while (Resolve(prefix) is not null);
            return prefix;
        }
    }
}
