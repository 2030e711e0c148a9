using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;
using XmppConf.Muc.Service;

namespace XmppConf.Muc.Features;

/// <summary>
/// One rule or capability of a room (XmppConf STYLE §1), in the manner of Prosody's
/// plugins/muc/*.lib.lua: each feature owns its config fields, its disco entries and its
/// checks, so the room handlers run the hooks and hold no feature rules themselves. Every hook
/// has a do-nothing default; a feature implements the few it needs. Features are stateless and
/// shared by all rooms: room data lives in <see cref="RoomState"/> and <see cref="RoomConfig"/>.
/// Hooks run on the room's actor, in ascending <see cref="Order"/>.
/// </summary>
internal interface IRoomFeature
{
    /// <summary>Position among features: lower runs first (entry checks, form fields, disco features).</summary>
    int Order { get; }

    // ---- Discovery and configuration (XEP-0045 §6.4, §10.2) ----

    /// <summary>Adds disco#info features and muc#roominfo fields for the room.</summary>
    void ContributeDiscoInfo(RoomContext room, DiscoInfo info) { }

    /// <summary>Adds this feature's fields, with current values, to the muc#roomconfig form.</summary>
    void ContributeConfigForm(RoomContext room, DataForm form) { }

    /// <summary>
    /// Applies one submitted muc#roomconfig field to <paramref name="submission"/>. Returns false
    /// when the field is not this feature's; true when it is, with <paramref name="error"/> set
    /// when the value is invalid (the whole submission is then rejected, nothing changed).
    /// </summary>
    bool TryApplyConfigField(RoomContext room, FormField field, ConfigSubmission submission, out StanzaError? error)
    {
        error = null;
        return false;
    }

    /// <summary>Rejects a complete proposed configuration (e.g. password protection without a password).</summary>
    StanzaError? ValidateConfig(RoomContext room, RoomConfig proposed) => null;

    /// <summary>Adds the status codes announcing a configuration change (XEP-0045 §10.2.1: 104, 170–174).</summary>
    void OnConfigChanged(RoomContext room, RoomConfig before, RoomConfig after, List<int> statusCodes) { }

    // ---- Entering (XEP-0045 §7.2) ----

    /// <summary>Refuses an entry with an error, or null to let it pass.</summary>
    StanzaError? CheckJoin(RoomContext room, JoinRequest join) => null;

    /// <summary>The role a new occupant with <paramref name="affiliation"/> gets; the first non-null answer wins.</summary>
    Role? DefaultRole(RoomContext room, Affiliation affiliation) => null;

    /// <summary>Adds status codes to the entering occupant's self-presence (100, 170…).</summary>
    void AddJoinStatusCodes(RoomContext room, JoinRequest join, List<int> codes) { }

    /// <summary>After the self-presence went out: send what follows it (history, then subject — §7.2.3 order).</summary>
    void OnJoined(RoomContext room, Occupant occupant, JoinRequest join) { }

    /// <summary>Refuses a nick change (XEP-0045 §7.6), or null.</summary>
    StanzaError? CheckNickChange(RoomContext room, Occupant occupant, Jid newOccupantJid) => null;

    // ---- Messages (XEP-0045 §7.4, §7.5, §8.1) ----

    /// <summary>Refuses a groupchat message from an occupant, or null.</summary>
    StanzaError? CheckGroupchat(RoomContext room, Occupant sender, XElement message) => null;

    /// <summary>Takes over a groupchat message that is not plain conversation (a subject change); true when handled.</summary>
    bool TryHandleGroupchat(RoomContext room, Occupant sender, XElement message, Jid from) => false;

    /// <summary>Adds to a groupchat message before it is broadcast (XEP-0359 stanza-id…).</summary>
    void DecorateGroupchat(RoomContext room, Occupant sender, XElement outgoing) { }

    /// <summary>After a groupchat message was broadcast (history keeps it).</summary>
    void OnGroupchatSent(RoomContext room, Occupant sender, BroadcastStanza sent) { }

    /// <summary>Refuses a private message between occupants (XEP-0045 §7.5), or null.</summary>
    StanzaError? CheckPrivateMessage(RoomContext room, Occupant sender, Occupant recipient, XElement message) => null;

    /// <summary>Takes a non-groupchat message to the room's bare JID (invitations, voice requests); true when handled.</summary>
    bool TryHandleRoomMessage(RoomContext room, Occupant? sender, XElement message, Jid from) => false;

    /// <summary>Adds to every stanza the room sends from an occupant's JID (XEP-0421 occupant-id).</summary>
    void DecorateFromOccupant(RoomContext room, Occupant occupant, XElement outgoing) { }

    // ---- IQ ----

    /// <summary>Answers an iq to the room's bare JID (owner, admin, disco…); null when not this feature's.</summary>
    IqReply? HandleRoomIq(RoomContext room, Occupant? sender, XElement iq, Jid from) => null;

    /// <summary>Answers an iq to an occupant's JID (XEP-0410 self-ping); null when not this feature's.</summary>
    IqReply? HandleOccupantIq(RoomContext room, Occupant? sender, Jid target, XElement iq, Jid from) => null;
}
