using System.Xml.Linq;
using XmppConf.Core.Xml;

namespace XmppConf.Server.Negotiation;

/// <summary>
/// Builds &lt;stream:features/&gt; for the stream's state (RFC 6120 §4.3.2): STARTTLS first (alone
/// when it is mandatory-to-negotiate), then SASL, then bind — each advertised only when it applies.
/// </summary>
internal static class StreamFeatures
{
    private static readonly XNamespace Stream = Ns.Streams;
    private static readonly XNamespace Tls = Ns.Tls;
    private static readonly XNamespace SaslNs = Ns.Sasl;

    public static XElement BeforeTls(bool tlsRequired, IReadOnlyList<string> mechanisms, int maxStanzaBytes)
    {
        var starttls = new XElement(Tls + "starttls");
        if (tlsRequired)
        {
            starttls.Add(new XElement(Tls + "required"));
            // RFC 6120 §5.3.1: when TLS is mandatory it is the only feature offered.
            return new XElement(Stream + "features", starttls);
        }
        return new XElement(Stream + "features", starttls, Mechanisms(mechanisms), Limits(maxStanzaBytes, null));
    }

    public static XElement Sasl(IReadOnlyList<string> mechanisms, int maxStanzaBytes) =>
        new(Stream + "features", Mechanisms(mechanisms), Limits(maxStanzaBytes, null));

    public static XElement AfterAuthentication(int maxStanzaBytes, int idleSeconds) =>
        new(Stream + "features",
            new XElement(XName.Get("bind", Ns.Bind)),
            // RFC 3921 session establishment is obsolete, but older libpurple (Pidgin, Adium) still sends it.
            new XElement(XName.Get("session", Ns.Session), new XElement(XName.Get("optional", Ns.Session))),
            new XElement(XName.Get("ver", Ns.RosterVersioning)),
            new XElement(XName.Get("sub", Ns.PreApproval)),
            Limits(maxStanzaBytes, idleSeconds));

    private static XElement Mechanisms(IReadOnlyList<string> mechanisms)
    {
        var element = new XElement(SaslNs + "mechanisms");
        foreach (var mechanism in mechanisms) element.Add(new XElement(SaslNs + "mechanism", mechanism));
        return element;
    }

    /// <summary>XEP-0478: tell the client the largest stanza we accept and how long we wait for traffic.</summary>
    private static XElement Limits(int maxStanzaBytes, int? idleSeconds)
    {
        var limits = new XElement(XName.Get("limits", Ns.StreamLimits), new XElement(XName.Get("max-bytes", Ns.StreamLimits), maxStanzaBytes));
        if (idleSeconds is { } idle) limits.Add(new XElement(XName.Get("idle-seconds", Ns.StreamLimits), idle));
        return limits;
    }
}
