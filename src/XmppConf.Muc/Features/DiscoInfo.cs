using System.Xml.Linq;
using XmppConf.Core.DataForms;
using XmppConf.Core.Xml;

namespace XmppConf.Muc.Features;

/// <summary>
/// A disco#info result being assembled (XEP-0030 §3.1): features append their features and
/// muc#roominfo fields, so the answer lists only what is registered (XmppConf STYLE §13).
/// </summary>
internal sealed class DiscoInfo
{
    private static readonly XNamespace Disco = Ns.DiscoInfo;

    public List<(string Category, string Type, string? Name)> Identities { get; } = [];

    public List<string> Features { get; } = [];

    /// <summary>The muc#roominfo form (XEP-0045 §6.4), or null when nothing is contributed.</summary>
    public DataForm? Form { get; set; }

    public void AddFeature(string var) => Features.Add(var);

    public XElement ToQuery(string? node = null)
    {
        var query = new XElement(Disco + "query");
        if (node is not null) query.SetAttributeValue("node", node);
        foreach (var (category, type, name) in Identities)
        {
            var identity = new XElement(Disco + "identity", new XAttribute("category", category), new XAttribute("type", type));
            if (name is not null) identity.SetAttributeValue("name", name);
            query.Add(identity);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var feature in Features)
        {
            if (seen.Add(feature)) query.Add(new XElement(Disco + "feature", new XAttribute("var", feature)));
        }
        if (Form is not null) query.Add(Form.ToElement());
        return query;
    }
}
