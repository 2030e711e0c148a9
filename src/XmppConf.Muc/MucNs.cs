namespace XmppConf.Muc;

/// <summary>Namespaces the MUC service speaks beyond those in <see cref="XmppConf.Core.Xml.Ns"/>.</summary>
public static class MucNs
{
    /// <summary>XEP-0045 §15.5.3 room configuration form type.</summary>
    public const string RoomConfig = "http://jabber.org/protocol/muc#roomconfig";

    /// <summary>XEP-0045 §15.5.4 extended room information form type.</summary>
    public const string RoomInfo = "http://jabber.org/protocol/muc#roominfo";

    /// <summary>XEP-0045 §15.5.2 voice request / registration form type.</summary>
    public const string Request = "http://jabber.org/protocol/muc#request";

    /// <summary>XEP-0045 §6.1 stable occupant ids (nicknames stay bound to one user).</summary>
    public const string StableId = "http://jabber.org/protocol/muc#stable_id";

    /// <summary>XEP-0359 unique and stable stanza IDs.</summary>
    public const string StanzaId = "urn:xmpp:sid:0";

    /// <summary>XEP-0421 anonymous unique occupant identifiers.</summary>
    public const string OccupantId = "urn:xmpp:occupant-id:0";

    /// <summary>XEP-0410 MUC self-ping optimisation feature.</summary>
    public const string SelfPing = "http://jabber.org/protocol/muc#self-ping-optimization";

    /// <summary>XEP-0077 in-band registration, used for room membership requests (XEP-0045 §7.10).</summary>
    public const string Register = "jabber:iq:register";

    /// <summary>XEP-0059 result set management.</summary>
    public const string Rsm = "http://jabber.org/protocol/rsm";
}
