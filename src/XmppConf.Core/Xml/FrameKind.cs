namespace XmppConf.Core.Xml;

/// <summary>What a frame cut from the stream is (RFC 6120 §4.2, §4.4).</summary>
public enum FrameKind
{
    /// <summary>The opening &lt;stream:stream&gt; tag; its element carries the header attributes and no children.</summary>
    StreamOpen,

    /// <summary>A complete first-level child of the stream: a stanza or a nonza such as &lt;starttls/&gt;.</summary>
    Stanza,

    /// <summary>The closing &lt;/stream:stream&gt; tag.</summary>
    StreamClose,
}
