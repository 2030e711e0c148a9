using System.Text;

namespace XmppConf.Core.Tests.Xml;

/// <summary>
/// Random well-formed client streams for fuzzing the framer: a header, stanzas with nested children, prefixed
/// and default namespaces, attributes, escaped and multibyte text, CDATA, keepalive whitespace between stanzas,
/// and usually the closing tag. Every stream it builds is valid XMPP, so the framer must accept it whole.
/// </summary>
internal sealed class RandomStreamGenerator(Random random)
{
    private static readonly string[] LocalNames = ["message", "presence", "iq", "body", "x", "item", "query", "a", "é", "数据", "b-c.d_e"];
    private static readonly string[] TextPieces =
    [
        "hello", " ", "\n", "\t", "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#65;", "&#x1F600;", "€", "😀", "Ἀθῆναι", "ç", "]]", "]", ">", "\"", "'",
    ];

    /// <summary>A stream of up to <paramref name="maxStanzas"/> stanzas; <paramref name="stanzas"/> is how many it holds.</summary>
    public string Stream(int maxStanzas, out int stanzas)
    {
        var text = new StringBuilder();
        if (random.Next(2) == 0) text.Append("<?xml version='1.0'?>");
        text.Append("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>");
        stanzas = random.Next(maxStanzas + 1);
        for (var i = 0; i < stanzas; i++)
        {
            AppendWhitespace(text);
            AppendElement(text, depth: 1, prefixes: []);
        }
        AppendWhitespace(text);
        if (random.Next(5) != 0) text.Append("</stream:stream>");
        return text.ToString();
    }

    private void AppendWhitespace(StringBuilder text)
    {
        for (var n = random.Next(3); n > 0; n--) text.Append(" \n\t\r"[random.Next(4)]);
    }

    private void AppendElement(StringBuilder text, int depth, List<string> prefixes)
    {
        var inScope = new List<string>(prefixes);
        var declarations = new StringBuilder();
        if (random.Next(4) == 0)
        {
            var prefix = "p" + random.Next(3);
            declarations.Append(" xmlns:").Append(prefix).Append("='urn:test:").Append(prefix).Append('\'');
            if (!inScope.Contains(prefix)) inScope.Add(prefix);
        }
        if (random.Next(6) == 0) declarations.Append(" xmlns='urn:test:default'");

        var name = (inScope.Count > 0 && random.Next(3) == 0 ? inScope[random.Next(inScope.Count)] + ":" : "") + LocalNames[random.Next(LocalNames.Length)];
        text.Append('<').Append(name).Append(declarations);
        var attributes = new HashSet<string>();
        for (var n = random.Next(4); n > 0; n--)
        {
            var attribute = "at" + random.Next(5);
            if (!attributes.Add(attribute)) continue;
            var quote = random.Next(2) == 0 ? '\'' : '"';
            text.Append(' ').Append(attribute).Append('=').Append(quote).Append(Text(inAttribute: true, quote)).Append(quote);
        }
        if (depth >= 6 || random.Next(4) == 0)
        {
            text.Append("/>");
            return;
        }
        text.Append('>');
        for (var n = random.Next(4); n > 0; n--)
        {
            switch (random.Next(4))
            {
                case 0:
                    AppendElement(text, depth + 1, inScope);
                    break;
                case 1:
                    text.Append("<![CDATA[").Append(Text(inAttribute: false, '\0')).Append("]]>");
                    break;
                default:
                    text.Append(Text(inAttribute: false, '\0'));
                    break;
            }
        }
        text.Append("</").Append(name).Append('>');
    }

    private string Text(bool inAttribute, char quote)
    {
        var text = new StringBuilder();
        for (var n = random.Next(5); n > 0; n--)
        {
            var piece = TextPieces[random.Next(TextPieces.Length)];
            // Raw '>' after ']]' would spell ']]>' in text; raw quotes end an attribute value.
            if (piece == ">" || (inAttribute && piece == quote.ToString())) piece = "&gt;";
            text.Append(piece);
        }
        return text.ToString();
    }
}
