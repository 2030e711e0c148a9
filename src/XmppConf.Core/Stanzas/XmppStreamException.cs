namespace XmppConf.Core.Stanzas;

/// <summary>
/// A stream-fatal problem (RFC 6120 §4.9). Only these are thrown in stanza handling; the session's
/// single catch ladder turns them into a stream error and closes the stream.
/// </summary>
public sealed class XmppStreamException : Exception
{
    public XmppStreamException(StreamErrorCondition condition, string? text = null, Exception? inner = null)
        : base(text ?? condition.ToXmlName(), inner)
    {
        Condition = condition;
        Text = text;
    }

    public StreamErrorCondition Condition { get; }

    /// <summary>Human-readable text sent to the peer; never contains secrets.</summary>
    public string? Text { get; }
}
