using System.Net.Sockets;
using System.Security.Authentication;
using System.Xml;
using System.Xml.Linq;
using XmppConf.Core.Xml;

namespace XmppConf.Testing.Xmpp;

// The background read loop: framer tokens become parsed elements in the inbox.
public sealed partial class TestXmppClient
{
    private void StartReadLoop()
    {
        Stream stream = _stream;
        _readLoop = Task.Run(() => ReadLoopAsync(stream, _disposed.Token));
    }

    private async Task ReadLoopAsync(Stream stream, CancellationToken ct)
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int read = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
                if (read == 0)
                {
                    MarkSocketClosed("[socket closed by server]");
                    return;
                }

                _framer.Append(buffer.AsSpan(0, read));
                while (_framer.TryNext(out FramedToken token))
                {
                    if (OnToken(token))
                    {
                        // <proceed/>: stop reading so the TLS handshake gets the socket's next bytes (RFC 6120 §5.4.2.3).
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            MarkSocketClosed("[client disposed]");
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or AuthenticationException)
        {
            MarkSocketClosed($"[socket error: {ex.Message}]");
        }
        catch (Exception ex) when (ex is FormatException or XmlException)
        {
            _readFailure = ex;
            MarkSocketClosed($"[unreadable data from server: {ex.Message}]");
        }
        catch (Exception ex)
        {
            // A bug in this client: surface it through the receives (as the inner exception) rather than hang them.
            _readFailure = ex;
            MarkSocketClosed($"[read loop failed: {ex}]");
        }
    }

    // Returns true when the loop must pause for STARTTLS.
    private bool OnToken(FramedToken token)
    {
        Log("S: " + token.Text);
        switch (token.Kind)
        {
            case FramedKind.StreamOpened:
                _headerText = token.Text;
                _headerCloseTag = "</" + QualifiedName(token.Text) + ">";
                ServerStreamHeader = Parse(token.Text + _headerCloseTag);
                return false;

            case FramedKind.StreamClosed:
                ServerClosedStream = true;
                MarkClosed();
                return false;

            default:
                XElement element = ParseChild(token.Text);
                _inbox.Writer.TryWrite(element);
                return _pauseAfterProceed && element.Name == XName.Get("proceed", Ns.Tls);
        }
    }

    private XElement ParseChild(string text)
    {
        if (_headerText is null)
        {
            // No header yet: parse alone so the test sees what the server sent.
            return Parse(text);
        }

        // Parse inside the header so prefixes and the default namespace it declares apply (RFC 6120 §4.8).
        XElement root = Parse(_headerText + text + _headerCloseTag);
        var child = (XElement)root.FirstNode!;
        child.Remove();
        return child;
    }

    private static XElement Parse(string xml)
    {
        using var reader = XmlReader.Create(new StringReader(xml), SafeXml);
        return XElement.Load(reader, LoadOptions.PreserveWhitespace);
    }

    private static string QualifiedName(string startTag)
    {
        int end = startTag.AsSpan(1).IndexOfAny(" \t\r\n/>");
        return end < 0 ? startTag[1..] : startTag.Substring(1, end);
    }

    private void MarkSocketClosed(string note)
    {
        if (!SocketClosed)
        {
            SocketClosed = true;
            Log("S: " + note);
        }

        MarkClosed();
    }

    private void MarkClosed()
    {
        _inbox.Writer.TryComplete();
        _closed.TrySetResult();
    }
}
