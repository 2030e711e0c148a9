using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Xml;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Tests.TestKit;

/// <summary>muc#admin stanza builders and room-state readers for the admin, moderator and owner tests.</summary>
internal static class Adm
{
    public static readonly XNamespace MucAdmin = Ns.MucAdmin;

    public static XElement Item(string? nick = null, string? jid = null, string? role = null, string? affiliation = null, string? reason = null)
    {
        var item = new XElement(MucAdmin + "item");
        if (affiliation is not null) item.SetAttributeValue("affiliation", affiliation);
        if (jid is not null) item.SetAttributeValue("jid", jid);
        if (nick is not null) item.SetAttributeValue("nick", nick);
        if (role is not null) item.SetAttributeValue("role", role);
        if (reason is not null) item.Add(new XElement(MucAdmin + "reason", reason));
        return item;
    }

    public static XElement Set(params XElement[] items) => St.Iq("set", new XElement(MucAdmin + "query", items));

    public static XElement Get(params XElement[] items) => St.Iq("get", new XElement(MucAdmin + "query", items));

    public static Task<Affiliation> AffiliationAsync(this MucHarness h, string room, string bareJid) =>
        h.Service.Registry.AskAsync(MucHarness.Room(room), r => r.State.AffiliationOf(Jid.Parse(bareJid)), CancellationToken.None);

    public static Task<AffiliationEntry?> EntryAsync(this MucHarness h, string room, string bareJid) =>
        h.Service.Registry.AskAsync(MucHarness.Room(room), r => r.State.Affiliations.GetValueOrDefault(Jid.Parse(bareJid)), CancellationToken.None);

    /// <summary>The occupant's role, or null when no occupant has the nick.</summary>
    public static Task<Role?> RoleAsync(this MucHarness h, string room, string nick) =>
        h.Service.Registry.AskAsync(MucHarness.Room(room), r => r.State.FindByNick(nick)?.Role, CancellationToken.None);

    /// <summary>Sets an affiliation directly in the room's state (test set-up, no stanzas).</summary>
    public static Task SeedAffiliationAsync(this MucHarness h, string room, string bareJid, Affiliation affiliation, string? nick = null) =>
        h.Service.Registry.AskAsync(MucHarness.Room(room), r =>
        {
            r.State.Affiliations[Jid.Parse(bareJid)] = new AffiliationEntry(affiliation, null, nick);
            return 0;
        }, CancellationToken.None);

    /// <summary>Stanzas sent to <paramref name="to"/>.</summary>
    public static List<XElement> For(this IEnumerable<XElement> stanzas, string to) => stanzas.Where(s => s.To() == to).ToList();

    /// <summary>The iq answer among <paramref name="stanzas"/>.</summary>
    public static XElement IqReply(this IEnumerable<XElement> stanzas) => stanzas.Single(s => s.Name.LocalName == "iq");
}
