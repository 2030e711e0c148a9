using System.Text.Json;
using XmppConf.Core.Addressing;
using XmppConf.Muc.Rooms;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Muc.Service;

/// <summary>Maps a room's durable part to and from <see cref="StoredRoom"/>.</summary>
internal static class RoomPersistence
{
    public static StoredRoom ToStored(RoomState state)
    {
        var json = JsonSerializer.Serialize(
            new RoomDocument(state.Config, Convert.ToBase64String(state.OccupantIdSalt)),
            RoomJsonContext.Default.RoomDocument);
        var affiliations = new List<StoredAffiliation>(state.Affiliations.Count);
        foreach (var (jid, entry) in state.Affiliations)
        {
            affiliations.Add(new StoredAffiliation(jid.ToString(), entry.Affiliation.ToXmlName(), entry.Reason, entry.Nick));
        }
        return new StoredRoom(
            state.RoomJid.ToString(),
            json,
            affiliations,
            state.Subject?.Text,
            state.Subject?.Nick,
            state.Subject?.At,
            state.CreatedAt);
    }

    /// <summary>Rebuilds a room; entries it cannot read (a bad JID, an unknown affiliation) are skipped.</summary>
    public static RoomState Restore(StoredRoom stored, MucOptions options)
    {
        var document = JsonSerializer.Deserialize(stored.ConfigJson, RoomJsonContext.Default.RoomDocument);
        var config = document?.Config ?? RoomConfig.Default(options);
        byte[] salt;
        try
        {
            salt = document is null ? RoomState.NewSalt() : Convert.FromBase64String(document.OccupantIdSalt);
        }
        catch (FormatException)
        {
            salt = RoomState.NewSalt();
        }
        var state = new RoomState(Jid.Parse(stored.RoomJid), config, stored.CreatedAt, salt);
        foreach (var a in stored.Affiliations)
        {
            if (Jid.TryParse(a.Jid, out var jid) && AffiliationNames.TryParse(a.Affiliation, out var affiliation) && affiliation != Affiliation.None)
            {
                state.Affiliations[jid.Bare] = new AffiliationEntry(affiliation, a.Reason, a.Nick);
            }
        }
        if (stored.Subject is not null)
        {
            state.Subject = new RoomSubject(stored.Subject, stored.SubjectNick, stored.SubjectAt ?? stored.CreatedAt);
        }
        return state;
    }
}
