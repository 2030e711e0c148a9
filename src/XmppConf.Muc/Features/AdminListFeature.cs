using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// muc#admin lists (XEP-0045 §8.5 voice list, §9.2 ban list, §9.5 member list, §9.8 moderator
/// list, §10.5 owner list, §10.8 admin list): an iq get with one item naming a role or an
/// affiliation. Who may read which list is <see cref="Privileges"/>' call. Affiliation lists
/// name users by bare JID (with the reserved nick and, when present, the role); role lists name
/// occupants by nick, with their real JID, which only moderators ask for.
/// </summary>
internal sealed class AdminListFeature : IRoomFeature
{
    private static readonly XNamespace MucAdmin = Ns.MucAdmin;

    public int Order => 950;

    public IqReply? HandleRoomIq(RoomContext room, Occupant? sender, XElement iq, Jid from)
    {
        if (iq.Attribute("type")?.Value != "get" || iq.Element(MucAdmin + "query") is not { } query) return null;

        XElement? only = null;
        foreach (var element in query.Elements(MucAdmin + "item"))
        {
            if (only is not null) return IqReply.Failed(StanzaError.BadRequest("Ask for one list at a time."));
            only = element;
        }
        if (only is null) return IqReply.Failed(StanzaError.BadRequest("Name the list with an item's role or affiliation."));
        if (!AdminItem.TryParse(only, out var item, out var error)) return IqReply.Failed(error!);

        var actor = Actor.Of(room, from);
        switch (item)
        {
            // §5.2: there is no 'none' list, and role 'none' is nobody in the room.
            case { Role: { } role, Affiliation: null } when role != Role.None:
                return Privileges.CheckRoleList(actor, role) is { } roleDenied
                    ? IqReply.Failed(roleDenied)
                    : IqReply.Result(RoleList(room, role));
            case { Affiliation: { } affiliation, Role: null } when affiliation != Affiliation.None:
                return Privileges.CheckAffiliationList(room, actor, affiliation) is { } affiliationDenied
                    ? IqReply.Failed(affiliationDenied)
                    : IqReply.Result(AffiliationList(room, affiliation));
            default:
                return IqReply.Failed(StanzaError.BadRequest("Name exactly one role or affiliation to list."));
        }
    }

    /// <summary>§9.5 example: affiliation and bare JID, plus the nick (reserved, else current) and role of a user in the room; the reason when one was given (§9.2).</summary>
    private static XElement AffiliationList(RoomContext room, Affiliation affiliation)
    {
        var listed = new List<(Jid Jid, AffiliationEntry Entry)>();
        foreach (var (jid, entry) in room.State.Affiliations)
        {
            if (entry.Affiliation == affiliation) listed.Add((jid, entry));
        }
        listed.Sort(static (a, b) => string.CompareOrdinal(a.Jid.ToString(), b.Jid.ToString()));

        var result = new XElement(MucAdmin + "query");
        foreach (var (jid, entry) in listed)
        {
            var present = room.State.FindByBareJid(jid);
            var item = new XElement(MucAdmin + "item",
                new XAttribute("affiliation", affiliation.ToXmlName()),
                new XAttribute("jid", jid.ToString()));
            if ((entry.Nick ?? present?.Nick) is { } nick) item.SetAttributeValue("nick", nick);
            if (present is not null) item.SetAttributeValue("role", present.Role.ToXmlName());
            if (entry.Reason is not null) item.Add(new XElement(MucAdmin + "reason", entry.Reason));
            result.Add(item);
        }
        return result;
    }

    /// <summary>§8.5 example: nick, role, affiliation and real JID of each occupant with the role, in join order.</summary>
    private static XElement RoleList(RoomContext room, Role role)
    {
        var result = new XElement(MucAdmin + "query");
        foreach (var occupant in room.State.Occupants)
        {
            if (occupant.Role != role) continue;
            result.Add(new XElement(MucAdmin + "item",
                new XAttribute("affiliation", occupant.Affiliation.ToXmlName()),
                new XAttribute("jid", occupant.Primary.RealJid.ToString()),
                new XAttribute("nick", occupant.Nick),
                new XAttribute("role", role.ToXmlName())));
        }
        return result;
    }
}
