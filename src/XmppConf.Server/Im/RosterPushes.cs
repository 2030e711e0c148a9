using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Xml;
using XmppConf.Server.Sessions;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Server.Im;

/// <summary>Roster items as XML and roster pushes to the user's interested resources (RFC 6121 §2.1.6).</summary>
internal sealed class RosterPushes(LocalSessionTable sessions)
{
    private static readonly XNamespace R = Ns.Roster;
    private long _pushId;

    public static XElement ToXml(RosterItem item)
    {
        var element = new XElement(R + "item",
            new XAttribute("jid", item.ContactJid),
            new XAttribute("subscription", SubscriptionName(item.Subscription)));
        if (item.Name is not null) element.SetAttributeValue("name", item.Name);
        if (item.PendingOut) element.SetAttributeValue("ask", "subscribe");
        if (item.PreApproved) element.SetAttributeValue("approved", "true");
        foreach (var group in item.Groups) element.Add(new XElement(R + "group", group));
        return element;
    }

    public static string SubscriptionName(SubscriptionState state) => state switch
    {
        SubscriptionState.Both => "both",
        SubscriptionState.To => "to",
        SubscriptionState.From => "from",
        _ => "none",
    };

    /// <summary>Pushes an item (or its removal) to each resource of the user that has asked for the roster.</summary>
    public void Push(Jid user, RosterItem? item, string contact, long version)
    {
        var itemXml = item is { InRoster: true }
            ? ToXml(item)
            : new XElement(R + "item", new XAttribute("jid", contact), new XAttribute("subscription", "remove"));
        foreach (var session in sessions.ForAccount(user))
        {
            if (!session.Presence.Interested || session.FullJid is null) continue;
            session.Deliver(new XElement(XName.Get("iq", Ns.Client),
                new XAttribute("type", "set"),
                new XAttribute("id", "push" + Interlocked.Increment(ref _pushId)),
                new XAttribute("to", session.FullJid.ToString()),
                new XElement(R + "query", new XAttribute("ver", version.ToString(System.Globalization.CultureInfo.InvariantCulture)), itemXml)));
        }
    }
}
