using System.Xml.Linq;
using XmppConf.Core.Addressing;

namespace XmppConf.Server.Sessions;

/// <summary>
/// Presence state of one session (RFC 6121 §4). Written only by the session's own read loop;
/// other sessions read the immutable snapshot fields.
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

    /// <summary>Entities that got directed presence and must get unavailable presence too (RFC 6121 §4.6.3).</summary>
    public HashSet<Jid> DirectedTo { get; } = [];
}
