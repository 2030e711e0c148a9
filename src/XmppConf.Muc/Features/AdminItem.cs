using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// One &lt;item/&gt; of a muc#admin query (XEP-0045 §8, §9, schema §19.3): a role or an
/// affiliation, for an occupant named by nick or a user named by JID, with an optional reason.
/// Attribute values are checked here; whether the change is allowed is not.
/// </summary>
internal sealed record AdminItem(string? Nick, Jid? Jid, Role? Role, Affiliation? Affiliation, string? Reason)
{
    private static readonly XNamespace MucAdmin = Ns.MucAdmin;

    /// <summary>Reads an item; a value outside the schema (an unknown role, a bad JID) is bad-request.</summary>
    public static bool TryParse(XElement element, out AdminItem item, out StanzaError? error)
    {
        item = null!;
        error = null;
        Role? role = null;
        Affiliation? affiliation = null;
        Jid? jid = null;
        if (element.Attribute("role")?.Value is { } roleName)
        {
            if (!RoleNames.TryParse(roleName, out var r))
            {
                error = StanzaError.BadRequest($"Unknown role '{roleName}'.");
                return false;
            }
            role = r;
        }
        if (element.Attribute("affiliation")?.Value is { } affiliationName)
        {
            if (!AffiliationNames.TryParse(affiliationName, out var a))
            {
                error = StanzaError.BadRequest($"Unknown affiliation '{affiliationName}'.");
                return false;
            }
            affiliation = a;
        }
        if (element.Attribute("jid")?.Value is { } jidText)
        {
            if (!Jid.TryParse(jidText, out jid))
            {
                error = StanzaError.BadRequest($"'{jidText}' is not a valid JID.");
                return false;
            }
        }
        item = new AdminItem(element.Attribute("nick")?.Value, jid, role, affiliation, element.Element(MucAdmin + "reason")?.Value);
        return true;
    }
}
