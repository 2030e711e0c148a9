using System.Xml.Linq;

namespace XmppConf.Testing.Xmpp;

/// <summary>A <c>&lt;stream:error/&gt;</c> (RFC 6120 §4.9) arrived while a helper was waiting for something else.</summary>
public sealed class StreamErrorException : XmppTestException
{
    public StreamErrorException(XElement error, string transcript)
        : base($"Stream error '{TestXmppClient.GetErrorCondition(error)}': {error}\n{transcript}")
    {
        Error = error;
        Condition = TestXmppClient.GetErrorCondition(error) ?? string.Empty;
    }

    public XElement Error { get; }

    /// <summary>Local name of the condition element, e.g. <c>host-unknown</c>.</summary>
    public string Condition { get; }
}
