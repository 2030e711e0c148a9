using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Xml;
using XmppConf.Muc.Service;

namespace XmppConf.Muc.Rooms;

/// <summary>
/// Builds occupant presence (XEP-0045 §7.2.3: the client's payload plus a muc#user item with
/// affiliation, role and, for those allowed, the real JID) and sends it. A broadcast is built
/// at most twice (with and without the real JID) and reused for every recipient; an occupant's
/// plain presence is cached on the occupant so a newcomer's occupant list costs no XML work.
/// </summary>
internal sealed class PresenceBroadcaster(RoomContext room)
{
    private static readonly XNamespace Client = Ns.Client;
    private static readonly XNamespace MucUser = Ns.MucUser;

    /// <summary>XEP-0045 §7.2.2: the occupant's own presence carries status 110.</summary>
    public const int SelfPresence = 110;

    /// <summary>
    /// Sends the newcomer's session every other visible occupant's presence (XEP-0045 §7.2.3:
    /// "the complete list of the existing occupants" comes first).
    /// </summary>
    public void SendOccupantList(Occupant newcomer, Jid session)
    {
        var withJid = room.CanSeeRealJids(newcomer);
        foreach (var other in room.State.Occupants)
        {
            if (ReferenceEquals(other, newcomer) || !IsBroadcast(other)) continue;
            room.Output.Send(Plain(other, withJid), session);
        }
    }

    /// <summary>
    /// Announces <paramref name="occupant"/>'s presence: the broadcast form to every other
    /// occupant, then the self form (110 plus <see cref="PresenceEvent.SelfCodes"/>) to the
    /// occupant's sessions, or only to <paramref name="selfSession"/> when given.
    /// </summary>
    public void Broadcast(Occupant occupant, PresenceEvent ev, Jid? selfSession = null)
    {
        BroadcastToOthers(occupant, ev);
        SendSelf(occupant, ev, selfSession);
    }

    /// <summary>The broadcast form of <paramref name="occupant"/>'s presence to every other occupant.</summary>
    public void BroadcastToOthers(Occupant occupant, PresenceEvent ev)
    {
        if (!IsBroadcast(occupant)) return;
        BroadcastStanza? anonymous = null;
        BroadcastStanza? withJid = null;
        foreach (var recipient in room.State.Occupants)
        {
            if (ReferenceEquals(recipient, occupant)) continue;
            BroadcastStanza stanza;
            if (room.CanSeeRealJids(recipient))
            {
                stanza = withJid ??= ev.IsPlain ? Plain(occupant, true) : new BroadcastStanza(Build(occupant, ev, withJid: true, [], selfCodes: false));
            }
            else
            {
                stanza = anonymous ??= ev.IsPlain ? Plain(occupant, false) : new BroadcastStanza(Build(occupant, ev, withJid: false, [], selfCodes: false));
            }
            foreach (var session in recipient.Sessions)
            {
                room.Output.Send(stanza, session.RealJid);
            }
        }
    }

    /// <summary>The self form of the presence (status 110) to the occupant's sessions, or one of them.</summary>
    public void SendSelf(Occupant occupant, PresenceEvent ev, Jid? selfSession = null)
    {
        var self = new BroadcastStanza(Build(occupant, ev, withJid: true, ev.SelfCodes, selfCodes: true));
        if (selfSession is { } only)
        {
            room.Output.Send(self, only);
            return;
        }
        foreach (var session in occupant.Sessions)
        {
            room.Output.Send(self, session.RealJid);
        }
    }

    /// <summary>muc#roomconfig_presencebroadcast: only listed roles have their presence shown to others.</summary>
    public bool IsBroadcast(Occupant occupant) => room.Config.PresenceBroadcast.Contains(occupant.Role);

    private BroadcastStanza Plain(Occupant occupant, bool withJid)
    {
        var index = withJid ? 1 : 0;
        return occupant.PresenceCache[index] ??= new BroadcastStanza(Build(occupant, PresenceEvent.Available, withJid, [], selfCodes: false));
    }

    private XElement Build(Occupant occupant, PresenceEvent ev, bool withJid, int[] extraCodes, bool selfCodes)
    {
        var presence = new XElement(Client + "presence", new XAttribute("from", occupant.OccupantJid.ToString()));
        if (ev.IsUnavailable)
        {
            presence.SetAttributeValue("type", "unavailable");
        }
        var source = ev.Source ?? (ev.IsUnavailable ? null : occupant.Presence);
        if (source is not null)
        {
            CopyPayload(source, presence, ev.IsUnavailable);
        }

        var item = new XElement(MucUser + "item",
            // XEP-0045 §10.9: a destroyed room keeps no affiliations.
            new XAttribute("affiliation", (ev.Destroy is null ? occupant.Affiliation : Affiliation.None).ToXmlName()),
            // XEP-0045 §7.14: a departing occupant's role is none; §7.6.2: a nick change keeps it.
            new XAttribute("role", (ev.IsUnavailable && ev.NewNick is null ? Role.None : occupant.Role).ToXmlName()));
        if (withJid)
        {
            item.SetAttributeValue("jid", occupant.Primary.RealJid.ToString());
        }
        if (ev.NewNick is not null)
        {
            item.SetAttributeValue("nick", ev.NewNick);
        }
        if (ev.ActorNick is not null)
        {
            item.Add(new XElement(MucUser + "actor", new XAttribute("nick", ev.ActorNick)));
        }
        if (ev.Reason is not null)
        {
            item.Add(new XElement(MucUser + "reason", ev.Reason));
        }
        var x = new XElement(MucUser + "x", item);
        if (ev.Destroy is not null)
        {
            x.Add(new XElement(ev.Destroy));
        }
        AddCodes(x, ev.Codes, selfCodes ? extraCodes : [], selfCodes);
        presence.Add(x);
        room.Features.DecorateFromOccupant(room, occupant, presence);
        return presence;
    }

    private static void AddCodes(XElement x, int[] codes, int[] extra, bool self)
    {
        // Ascending order, each once: 100, 110, 170, 201, 210, 303, 307…
        Span<int> all = stackalloc int[codes.Length + extra.Length + 1];
        var n = 0;
        foreach (var c in codes) all[n++] = c;
        foreach (var c in extra) all[n++] = c;
        if (self) all[n++] = SelfPresence;
        all = all[..n];
        all.Sort();
        for (var i = 0; i < all.Length; i++)
        {
            if (i > 0 && all[i] == all[i - 1]) continue;
            x.Add(new XElement(MucUser + "status", new XAttribute("code", all[i])));
        }
    }

    /// <summary>
    /// Copies the client's presence payload: everything but MUC and occupant-id elements (the
    /// room writes its own) and errors. An unavailable presence keeps only its status text
    /// (XEP-0045 §7.14).
    /// </summary>
    private static void CopyPayload(XElement source, XElement target, bool statusOnly)
    {
        foreach (var child in source.Elements())
        {
            var ns = child.Name.NamespaceName;
            if (ns is Ns.Muc or Ns.MucUser or MucNs.OccupantId) continue;
            if (child.Name == Client + "error") continue;
            if (statusOnly && child.Name != Client + "status") continue;
            target.Add(new XElement(child));
        }
    }
}
