using XmppConf.Muc.Service;

namespace XmppConf.Muc.Rooms;

/// <summary>
/// One message of discussion history (XEP-0045 §7.2.14): the groupchat message as it was
/// broadcast (from room/nick, stanza-id, occupant-id; no 'to'), when, and its size in
/// characters for the maxchars limit.
/// </summary>
internal sealed record HistoryEntry(BroadcastStanza Message, DateTimeOffset At, int Chars);
