using System.Xml.Linq;

namespace XmppConf.Scenarios.Tests;

/// <summary>Short builders for the stanzas the scenarios send.</summary>
internal static class Xmpp
{
    public static readonly XNamespace Client = "jabber:client";
    public static readonly XNamespace Roster = "jabber:iq:roster";
    public static readonly XNamespace Stanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";
    public static readonly XNamespace Streams = "urn:ietf:params:xml:ns:xmpp-streams";
    public static readonly XNamespace Delay = "urn:xmpp:delay";

    public static XElement Message(string to, string body, string type = "chat") =>
        new(Client + "message", new XAttribute("to", to), new XAttribute("type", type), new XElement(Client + "body", body));

    public static XElement Presence(string? type = null, string? to = null, int? priority = null, string? show = null, string? status = null)
    {
        var p = new XElement(Client + "presence");
        if (type is not null) p.SetAttributeValue("type", type);
        if (to is not null) p.SetAttributeValue("to", to);
        if (show is not null) p.Add(new XElement(Client + "show", show));
        if (status is not null) p.Add(new XElement(Client + "status", status));
        if (priority is not null) p.Add(new XElement(Client + "priority", priority));
        return p;
    }

    public static XElement Iq(string type, XElement payload, string? to = null)
    {
        var iq = new XElement(Client + "iq", new XAttribute("type", type), payload);
        if (to is not null) iq.SetAttributeValue("to", to);
        return iq;
    }

    /// <summary>A XEP-0199 ping to the server: the round trip that proves earlier stanzas were processed.</summary>
    public static XElement ServerPing() => Iq("get", new XElement(XName.Get("ping", "urn:xmpp:ping")), "localhost");

    public static bool IsMessage(XElement e) => e.Name == Client + "message";
    public static bool IsPresence(XElement e) => e.Name == Client + "presence";
    public static bool IsRosterPush(XElement e) => e.Name == Client + "iq" && (string?)e.Attribute("type") == "set" && e.Element(Roster + "query") is not null;

    public static string? ErrorCondition(XElement stanza) =>
        stanza.Element(Client + "error")?.Elements().FirstOrDefault(c => c.Name.Namespace == Stanzas)?.Name.LocalName;

    public static string? StreamErrorCondition(XElement error) =>
        error.Elements().FirstOrDefault(c => c.Name.Namespace == Streams)?.Name.LocalName;
}
