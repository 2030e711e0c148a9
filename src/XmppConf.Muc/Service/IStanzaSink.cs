using System.Xml.Linq;
using XmppConf.Core.Addressing;

namespace XmppConf.Muc.Service;

/// <summary>
/// The MUC service's only output port, implemented by the server. Called from room actors; must
/// not block (XmppConf STYLE §3: post to the session's bounded outbox and return).
/// </summary>
public interface IStanzaSink
{
    /// <summary>
    /// Delivers a stanza whose 'from' and 'to' are set. Returns false when the recipient (a full
    /// JID) has no session any more: the room then treats that occupant as gone (removes it
    /// silently, broadcasting its unavailable presence).
    /// </summary>
    bool Send(XElement stanza);

    /// <summary>
    /// Delivers one copy of a broadcast to <paramref name="to"/>. A broadcast is the same stanza
    /// for many recipients with only 'to' differing: a server that writes bytes should override
    /// this with <see cref="BroadcastStanza.ToUtf8(Jid)"/>, which serialises the stanza once per
    /// broadcast and splices the recipient in. The default builds an element per recipient.
    /// </summary>
    bool Send(BroadcastStanza stanza, Jid to) => Send(stanza.ToElement(to));
}
