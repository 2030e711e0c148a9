namespace XmppConf.Testing.Xmpp;

/// <summary>The server did something the test client did not expect; the message carries the transcript.</summary>
public class XmppTestException : Exception
{
    public XmppTestException(string message)
        : base(message)
    {
    }

    public XmppTestException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
