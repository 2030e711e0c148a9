using System.Xml.Linq;
using XmppConf.Core.Addressing;

namespace XmppConf.Server.Sessions;

/// <summary>
/// Presence state of one session (RFC 6121 §4). Written by the session's own read loop, or by its end
/// (which may run on a successor's thread); other sessions read the immutable snapshot fields.
/// </summary>
internal sealed class SessionPresence
{
    private volatile XElement? _lastAvailable;

    /// <summary>The last available presence broadcast by the client (stamped), null while unavailable.</summary>
    public XElement? LastAvailable { get => _lastAvailable; set => _lastAvailable = value; }

    public bool IsAvailable => _lastAvailable is not null;

    public int Priority { get; set; }

    /// <summary>The client asked for its roster, so it receives roster pushes (RFC 6121 §2.1.6).</summary>
    public bool Interested { get; set; }

    // Entities that got directed presence and must get unavailable presence too (RFC 6121 §4.6.3).
    private readonly HashSet<Jid> _directedTo = [];

    public bool HasDirected
    {
        get
        {
            lock (_directedTo) return _directedTo.Count > 0;
        }
    }

    /// <summary>Remembers a target; false (and not added) when <paramref name="max"/> others are remembered already.</summary>
    public bool AddDirected(Jid target, int max)
    {
        lock (_directedTo)
        {
            if (_directedTo.Count >= max && !_directedTo.Contains(target)) return false;
            _directedTo.Add(target);
            return true;
        }
    }

    public void RemoveDirected(Jid target)
    {
        lock (_directedTo) _directedTo.Remove(target);
    }

    /// <summary>Empties the set and returns what it held, as one step.</summary>
    public Jid[] TakeDirected()
    {
        lock (_directedTo)
        {
            if (_directedTo.Count == 0) return [];
            var targets = new Jid[_directedTo.Count];
            _directedTo.CopyTo(targets);
            _directedTo.Clear();
            return targets;
        }
    }
}
