using System.Xml.Linq;
using XmppConf.Core.Xml;

namespace XmppConf.Testing.Xmpp;

// Receiving: the inbox the read loop fills, the backlog of skipped elements, and waits with timeouts.
public sealed partial class TestXmppClient
{
    /// <summary>The next element (backlog first). Throws <see cref="TimeoutException"/> with the transcript when none comes.</summary>
    public Task<XElement> ReceiveAsync(TimeSpan? timeout = null) => ReceiveAsync(static _ => true, timeout);

    /// <summary>
    /// The first element matching <paramref name="match"/>, from the backlog or as it arrives;
    /// non-matching arrivals stay in the backlog, in order, for later receives.
    /// </summary>
    public async Task<XElement> ReceiveAsync(Func<XElement, bool> match, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        TimeSpan limit = timeout ?? DefaultTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token, ct);
        deadline.CancelAfter(limit);
        try
        {
            await _receiveLock.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_disposed.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new TimeoutException($"Another receive held the client for {limit.TotalSeconds:0.###} s.\n{DescribeState()}");
        }

        try
        {
            for (int i = 0; i < _backlog.Count; i++)
            {
                if (match(_backlog[i]))
                {
                    XElement found = _backlog[i];
                    lock (_backlog)
                    {
                        _backlog.RemoveAt(i);
                    }

                    return found;
                }
            }

            while (true)
            {
                XElement? next = await TryReadInboxAsync(deadline.Token, limit, ct).ConfigureAwait(false)
                    ?? throw new XmppTestException($"The stream closed before a matching element arrived.\n{DescribeState()}", _readFailure);
                if (match(next))
                {
                    return next;
                }

                AddToBacklog(next);
            }
        }
        finally
        {
            _receiveLock.Release();
        }
    }

    /// <summary>Waits for the <c>iq</c> of type result or error with <paramref name="id"/>.</summary>
    public Task<XElement> ReceiveIqResponseAsync(string id, TimeSpan? timeout = null)
        => ReceiveAsync(e => e.Name == Iq && (string?)e.Attribute("id") == id && (string?)e.Attribute("type") is "result" or "error", timeout);

    /// <summary>
    /// Sends an iq (giving it an id when it has none) and returns the result or error with that id.
    /// Error responses are returned, not thrown: tests often expect them.
    /// </summary>
    public async Task<XElement> IqAsync(XElement iq, TimeSpan? timeout = null)
    {
        string? id = (string?)iq.Attribute("id");
        if (string.IsNullOrEmpty(id))
        {
            id = NextId();
            iq.SetAttributeValue("id", id);
        }

        await SendAsync(iq).ConfigureAwait(false);
        return await ReceiveIqResponseAsync(id, timeout).ConfigureAwait(false);
    }

    /// <summary>
    /// Fails if any element arrives (or the stream closes) within <paramref name="window"/>.
    /// Elements already skipped into the backlog do not count; an offending element is kept in the backlog.
    /// </summary>
    /// <summary>Fails if an element matching <paramref name="match"/> (backlog included) arrives within the window.</summary>
    public async Task ExpectNothingAsync(TimeSpan window, Func<XElement, bool> match)
    {
        XElement unexpected;
        try
        {
            unexpected = await ReceiveAsync(match, window).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return;
        }
        throw new XmppTestException($"Expected no matching element for {window.TotalSeconds:0.###} s, but received {Show(unexpected)}.\n{DescribeState()}");
    }

    public async Task ExpectNothingAsync(TimeSpan window)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        deadline.CancelAfter(window);
        await _receiveLock.WaitAsync(_disposed.Token).ConfigureAwait(false);
        try
        {
            XElement? next;
            try
            {
                next = await TryReadInboxAsync(deadline.Token, window, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return;
            }

            if (next is null)
            {
                throw new XmppTestException($"Expected nothing for {window.TotalSeconds:0.###} s, but the stream closed.\n{DescribeState()}", _readFailure);
            }

            AddToBacklog(next);
            throw new XmppTestException($"Expected nothing for {window.TotalSeconds:0.###} s, but received {Show(next)}.\n{DescribeState()}");
        }
        finally
        {
            _receiveLock.Release();
        }
    }

    /// <summary>Waits for <c>&lt;stream:error/&gt;</c> (skipping other elements into the backlog) and returns it.</summary>
    public Task<XElement> ReceiveStreamErrorAsync(TimeSpan? timeout = null) => ReceiveAsync(static e => e.Name == StreamError, timeout);

    /// <summary>Waits until <see cref="IsClosed"/>; throws <see cref="TimeoutException"/> otherwise.</summary>
    public async Task WaitClosedAsync(TimeSpan timeout)
    {
        try
        {
            await _closed.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The server did not close the stream within {timeout.TotalSeconds:0.###} s.\n{DescribeState()}");
        }
    }

    /// <summary>
    /// The defined condition of a stream error, a stanza error (the stanza or its &lt;error/&gt; child) or
    /// a SASL failure: the local name of the first child in the matching namespace; null when there is none.
    /// </summary>
    public static string? GetErrorCondition(XElement element)
    {
        XElement? error = element.Name.LocalName == "error" ? element : element.Element(element.Name.Namespace + "error") ?? element.Element("error");
        XElement container = error ?? element;
        foreach (XElement child in container.Elements())
        {
            string ns = child.Name.NamespaceName;
            if ((ns is Ns.StreamErrors or Ns.StanzaErrors or Ns.Sasl) && child.Name.LocalName != "text")
            {
                return child.Name.LocalName;
            }
        }

        return null;
    }

    // Null when the stream closed and the inbox is empty; TimeoutException when the deadline passed.
    private async Task<XElement?> TryReadInboxAsync(CancellationToken deadline, TimeSpan limit, CancellationToken ct)
    {
        try
        {
            while (await _inbox.Reader.WaitToReadAsync(deadline).ConfigureAwait(false))
            {
                if (_inbox.Reader.TryRead(out XElement? next))
                {
                    return next;
                }
            }

            return null;
        }
        catch (OperationCanceledException) when (!_disposed.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new TimeoutException($"Nothing matching arrived within {limit.TotalSeconds:0.###} s.\n{DescribeState()}");
        }
    }

    private void AddToBacklog(XElement element)
    {
        lock (_backlog)
        {
            _backlog.Add(element);
        }
    }
}
