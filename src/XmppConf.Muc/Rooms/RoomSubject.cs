namespace XmppConf.Muc.Rooms;

/// <summary>The room subject (XEP-0045 §8.1): its text, the nick that set it (null for the room itself) and when.</summary>
internal sealed record RoomSubject(string Text, string? Nick, DateTimeOffset At);
