using XmppConf.Core.Addressing;

namespace XmppConf.Muc.Service;

/// <summary>What the service's disco#items needs to know of a room (XEP-0045 §6.3).</summary>
internal sealed record RoomListing(Jid RoomJid, string Name, bool Public, int Occupants);
