using System.Text;
using System.Xml.Linq;

namespace XmppConf.Muc.Tests.TestKit;

/// <summary>
/// Compares a stanza with the one a test expects, written as XML in the jabber:client default
/// namespace. Attribute order and insignificant whitespace do not matter; everything else does.
/// </summary>
internal static class XmlAssert
{
    /// <param name="ignore">Attribute names left out of the comparison at every depth (generated ids).</param>
    public static void Same(string expected, XElement actual, params string[] ignore)
    {
        var parsed = XElement.Parse("<wrap xmlns='jabber:client'>" + expected + "</wrap>").Elements().Single();
        Assert.AreEqual(Canon(parsed, ignore), Canon(actual, ignore), "\nactual: " + actual.ToString(SaveOptions.DisableFormatting));
    }

    private static string Canon(XElement element, string[] ignore)
    {
        var builder = new StringBuilder();
        Write(element, ignore, builder);
        return builder.ToString();
    }

    private static void Write(XElement element, string[] ignore, StringBuilder builder)
    {
        builder.Append('<').Append(element.Name.ToString());
        foreach (var attribute in element.Attributes().Where(a => !a.IsNamespaceDeclaration && !ignore.Contains(a.Name.LocalName)).OrderBy(a => a.Name.ToString(), StringComparer.Ordinal))
        {
            builder.Append(' ').Append(attribute.Name.ToString()).Append("='").Append(attribute.Value).Append('\'');
        }
        builder.Append('>');
        if (element.HasElements)
        {
            foreach (var child in element.Elements()) Write(child, ignore, builder);
        }
        else
        {
            builder.Append(element.Value.Trim());
        }
        builder.Append("</").Append(element.Name.LocalName).Append('>');
    }
}
