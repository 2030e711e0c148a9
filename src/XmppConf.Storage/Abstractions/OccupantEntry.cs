namespace XmppConf.Storage.Abstractions;

/// <summary>
/// One occupant of a room (XEP-0045 §5): the session <paramref name="RealJid"/> (a full JID)
/// in room <paramref name="RoomJid"/> under <paramref name="Nick"/>, on node
/// <paramref name="NodeId"/>, with its role and affiliation as XEP-0045 names them. Plain
/// strings so a shared table can serialise it.
/// </summary>
public sealed record OccupantEntry(
    string RoomJid,
    string Nick,
    string RealJid,
    string NodeId,
    string Role,
    string Affiliation,
    DateTimeOffset JoinedAt);
