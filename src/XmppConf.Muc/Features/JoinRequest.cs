using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// A session asking to enter the room (XEP-0045 §7.2), as the entry checks see it. Built by the
/// presence handler; features read it and may add status codes for the self-presence.
/// </summary>
internal sealed class JoinRequest
{
    public JoinRequest(Jid realJid, Jid occupantJid, XElement presence, XElement? mucX, Affiliation affiliation, bool createsRoom)
    {
        RealJid = realJid;
        OccupantJid = occupantJid;
        Presence = presence;
        MucX = mucX;
        Affiliation = affiliation;
        CreatesRoom = createsRoom;
    }

    /// <summary>The entering session's real full JID.</summary>
    public Jid RealJid { get; }

    public Jid BareJid => RealJid.Bare;

    /// <summary>room@service/nick requested.</summary>
    public Jid OccupantJid { get; }

    public string Nick => OccupantJid.Resource!;

    /// <summary>The client's presence.</summary>
    public XElement Presence { get; }

    /// <summary>The &lt;x xmlns='http://jabber.org/protocol/muc'/&gt; child, or null for a gc-1.0 client (§7.1).</summary>
    public XElement? MucX { get; }

    /// <summary>The user's affiliation at the time of entry.</summary>
    public Affiliation Affiliation { get; }

    /// <summary>This entry creates the room: the user is its first occupant and owner (§10.1.1).</summary>
    public bool CreatesRoom { get; }

    /// <summary>The user is already in the room under this nick from another session (multi-session nick).</summary>
    public Occupant? JoinsExisting { get; init; }

    /// <summary>The password in &lt;x&gt;&lt;password/&gt;&lt;/x&gt;, or null.</summary>
    public string? Password => MucX?.Element(XName.Get("password", XmppConf.Core.Xml.Ns.Muc))?.Value;

    /// <summary>The &lt;history/&gt; request (§7.2.14), or null.</summary>
    public XElement? History => MucX?.Element(XName.Get("history", XmppConf.Core.Xml.Ns.Muc));

    /// <summary>True when the user is a server administrator (who passes most room rules, XEP-0045 §5.3 'service admin').</summary>
    public bool IsServerAdmin { get; init; }
}
