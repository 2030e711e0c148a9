using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;

namespace XmppConf.Server.Negotiation;

/// <summary>Checks the client's stream header and writes ours (RFC 6120 §4.7).</summary>
internal static class StreamHeader
{
    public static readonly byte[] Close = "</stream:stream>"u8.ToArray();

    /// <summary>A fresh stream id with 128 bits of randomness (RFC 6120 §4.7.3: unique and unpredictable).</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static byte[] Open(string from, string id, string? to) =>
        Encoding.UTF8.GetBytes(
            "<?xml version='1.0'?><stream:stream xmlns='" + Ns.Client + "' xmlns:stream='" + Ns.Streams +
            "' id='" + id + "' from='" + SecurityElement.Escape(from) + "'" +
            (to is null ? "" : " to='" + SecurityElement.Escape(to) + "'") +
            " version='1.0' xml:lang='en'>");

    /// <summary>
    /// Validates the header the client sent. Throws the stream error RFC 6120 §4.9.3 names:
    /// wrong content namespace → invalid-namespace, version other than 1.x → unsupported-version,
    /// a 'to' that is not our domain → host-unknown.
    /// </summary>
    public static void Validate(XElement header, string domain)
    {
        var defaultNamespace = header.Attribute("xmlns")?.Value;
        if (defaultNamespace is not null && defaultNamespace != Ns.Client)
        {
            throw new XmppStreamException(StreamErrorCondition.InvalidNamespace, "Client streams use jabber:client.");
        }
        // RFC 6120 §4.7.5: no version means pre-1.0 XMPP, which we do not speak; major must be 1.
        var version = header.Attribute("version")?.Value;
        if (version is null || !version.StartsWith("1.", StringComparison.Ordinal))
        {
            throw new XmppStreamException(StreamErrorCondition.UnsupportedVersion, "XMPP version 1.0 is required.");
        }
        var to = header.Attribute("to")?.Value;
        if (to is not null && !string.Equals(to.TrimEnd('.'), domain, StringComparison.OrdinalIgnoreCase))
        {
            throw new XmppStreamException(StreamErrorCondition.HostUnknown, "This server does not serve that domain.");
        }
    }

    public static byte[] Error(StreamErrorCondition condition, string? text)
    {
        var sb = new StringBuilder("<stream:error><");
        sb.Append(condition.ToXmlName()).Append(" xmlns='").Append(Ns.StreamErrors).Append("'/>");
        if (text is not null)
        {
            sb.Append("<text xmlns='").Append(Ns.StreamErrors).Append("' xml:lang='en'>")
              .Append(SecurityElement.Escape(text)).Append("</text>");
        }
        sb.Append("</stream:error>");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
