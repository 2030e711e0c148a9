using System.Collections.Concurrent;
using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Server.Routing;

namespace XmppConf.Scenarios.Tests;

/// <summary>
/// A component on its own domain that records, in order, what the server hands it; with
/// <see cref="Fail"/> set it throws on every stanza, as a buggy service would.
/// </summary>
internal sealed class RecordingComponent(string domain) : IXmppComponent
{
    private readonly ConcurrentQueue<string> _events = new();

    public string Domain => domain;

    public string Name => "recorder";

    public bool Fail { get; set; }

    /// <summary>"presence available a@b/c", "message chat a@b/c", "ended a@b/c" …</summary>
    public string[] Events => _events.ToArray();

    public ValueTask RouteAsync(XElement stanza, Jid from, Jid to, CancellationToken ct)
    {
        if (Fail) throw new InvalidOperationException("Recording component told to fail.");
        var type = (string?)stanza.Attribute("type") ?? (stanza.Name.LocalName == "presence" ? "available" : "normal");
        _events.Enqueue($"{stanza.Name.LocalName} {type} {from}");
        return ValueTask.CompletedTask;
    }

    public ValueTask SessionEndedAsync(Jid fullJid, CancellationToken ct)
    {
        _events.Enqueue("ended " + fullJid);
        return ValueTask.CompletedTask;
    }
}
