namespace XmppConf.Core.Xml;

/// <summary>XML namespaces of the protocols we speak, one constant each so no handler spells a URI twice.</summary>
public static class Ns
{
    public const string Client = "jabber:client";
    public const string Server = "jabber:server";
    public const string Streams = "http://etherx.jabber.org/streams";
    public const string StreamErrors = "urn:ietf:params:xml:ns:xmpp-streams";
    public const string StanzaErrors = "urn:ietf:params:xml:ns:xmpp-stanzas";
    public const string Tls = "urn:ietf:params:xml:ns:xmpp-tls";
    public const string Sasl = "urn:ietf:params:xml:ns:xmpp-sasl";
    public const string Bind = "urn:ietf:params:xml:ns:xmpp-bind";
    public const string Session = "urn:ietf:params:xml:ns:xmpp-session";
    public const string Roster = "jabber:iq:roster";
    public const string RosterVersioning = "urn:xmpp:features:rosterver";
    public const string PreApproval = "urn:xmpp:features:pre-approval";
    public const string DiscoInfo = "http://jabber.org/protocol/disco#info";
    public const string DiscoItems = "http://jabber.org/protocol/disco#items";
    public const string Ping = "urn:xmpp:ping";
    public const string Version = "jabber:iq:version";
    public const string Delay = "urn:xmpp:delay";
    public const string Hints = "urn:xmpp:hints";
    public const string DataForms = "jabber:x:data";
    public const string StreamLimits = "urn:xmpp:stream-limits:0";
    public const string Muc = "http://jabber.org/protocol/muc";
    public const string MucUser = "http://jabber.org/protocol/muc#user";
    public const string MucAdmin = "http://jabber.org/protocol/muc#admin";
    public const string MucOwner = "http://jabber.org/protocol/muc#owner";
    public const string Commands = "http://jabber.org/protocol/commands";
}
