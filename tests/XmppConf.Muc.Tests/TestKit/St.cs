using System.Xml.Linq;
using XmppConf.Core.Xml;

namespace XmppConf.Muc.Tests.TestKit;

/// <summary>Stanza builders and readers for MUC tests.</summary>
internal static class St
{
    public static readonly XNamespace Client = Ns.Client;
    public static readonly XNamespace Muc = Ns.Muc;
    public static readonly XNamespace MucUser = Ns.MucUser;
    public static readonly XNamespace MucOwner = Ns.MucOwner;
    public static readonly XNamespace Data = Ns.DataForms;

    private static int s_id;

    public static string NextId() => "t" + Interlocked.Increment(ref s_id);

    public static XElement Presence(string? type = null, params object[] content)
    {
        var p = new XElement(Client + "presence", content);
        if (type is not null) p.SetAttributeValue("type", type);
        return p;
    }

    /// <summary>An entering presence with &lt;x xmlns='…muc'/&gt; and optional children (password, history).</summary>
    public static XElement Enter(params object[] mucChildren) => Presence(null, new XElement(Muc + "x", mucChildren));

    public static XElement Groupchat(string body, string? id = null) =>
        new(Client + "message", new XAttribute("type", "groupchat"), new XAttribute("id", id ?? NextId()),
            new XElement(Client + "body", body));

    public static XElement Chat(string body) =>
        new(Client + "message", new XAttribute("type", "chat"), new XAttribute("id", NextId()), new XElement(Client + "body", body));

    public static XElement SubjectMessage(string subject) =>
        new(Client + "message", new XAttribute("type", "groupchat"), new XAttribute("id", NextId()),
            new XElement(Client + "subject", subject));

    public static XElement Iq(string type, XElement payload) =>
        new(Client + "iq", new XAttribute("type", type), new XAttribute("id", NextId()), payload);

    public static XElement OwnerSubmit(params (string Var, string[] Values)[] fields)
    {
        var x = new XElement(Data + "x", new XAttribute("type", "submit"));
        if (fields.Length > 0)
        {
            x.Add(new XElement(Data + "field", new XAttribute("var", "FORM_TYPE"),
                new XElement(Data + "value", "http://jabber.org/protocol/muc#roomconfig")));
        }
        foreach (var (var, values) in fields)
        {
            x.Add(new XElement(Data + "field", new XAttribute("var", var), values.Select(v => new XElement(Data + "value", v))));
        }
        return Iq("set", new XElement(MucOwner + "query", x));
    }

    // ---- readers ----

    public static string? From(this XElement e) => e.Attribute("from")?.Value;

    public static string? To(this XElement e) => e.Attribute("to")?.Value;

    public static string? Type(this XElement e) => e.Attribute("type")?.Value;

    public static int[] Codes(this XElement e) =>
        e.Element(MucUser + "x")?.Elements(MucUser + "status").Select(s => int.Parse(s.Attribute("code")!.Value)).ToArray() ?? [];

    public static XElement? Item(this XElement e) => e.Element(MucUser + "x")?.Element(MucUser + "item");

    /// <summary>The stanza error condition's local name, or null.</summary>
    public static string? ErrorCondition(this XElement e) =>
        e.Element(Client + "error")?.Elements().FirstOrDefault(c => c.Name.NamespaceName == Ns.StanzaErrors && c.Name.LocalName != "text")?.Name.LocalName;

    public static string Describe(this IEnumerable<XElement> stanzas) =>
        string.Join("\n", stanzas.Select(s => s.ToString(SaveOptions.DisableFormatting)));
}
