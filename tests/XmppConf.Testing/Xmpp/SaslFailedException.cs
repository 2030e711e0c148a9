namespace XmppConf.Testing.Xmpp;

/// <summary>The server answered SASL with <c>&lt;failure/&gt;</c> (RFC 6120 §6.4.5); <see cref="Condition"/> is its defined condition.</summary>
public sealed class SaslFailedException : XmppTestException
{
    public SaslFailedException(string condition, string? text = null)
        : base(text is null ? $"SASL failure: {condition}" : $"SASL failure: {condition} ({text})")
    {
        Condition = condition;
        Text = text;
    }

    /// <summary>Local name of the condition element, e.g. <c>not-authorized</c>.</summary>
    public string Condition { get; }

    /// <summary>The optional human-readable <c>&lt;text/&gt;</c>.</summary>
    public string? Text { get; }
}
