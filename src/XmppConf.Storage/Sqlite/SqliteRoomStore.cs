using Microsoft.Data.Sqlite;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Storage.Sqlite;

/// <summary>
/// Rooms in SQLite: one rooms row per room and its affiliations in room_affiliations (in the
/// order saved). A save rewrites the room row and all its affiliations in one transaction.
/// </summary>
public sealed class SqliteRoomStore : IRoomStore
{
    private readonly SqliteDatabase _db;

    public SqliteRoomStore(SqliteDatabase db)
    {
        ArgumentNullException.ThrowIfNull(db);
        _db = db;
    }

    public Task SaveAsync(StoredRoom room, CancellationToken ct = default)
    {
        MucGuard.Room(room);
        // Own copy of the affiliations: the caller's list may change while the write waits its turn.
        var affiliations = room.Affiliations.ToArray();
        return _db.WriteAsync(async (connection, tx, token) =>
        {
            // ON CONFLICT DO UPDATE rather than INSERT OR REPLACE: a replace deletes the row
            // first, which would also fire the cascade on room_affiliations.
            await using (var upsert = connection.Command(tx, """
                    INSERT INTO rooms (room_jid, config_json, subject, subject_nick, subject_at, created_at)
                    VALUES ($room, $config, $subject, $subjectNick, $subjectAt, $createdAt)
                    ON CONFLICT (room_jid) DO UPDATE SET
                        config_json = excluded.config_json, subject = excluded.subject,
                        subject_nick = excluded.subject_nick, subject_at = excluded.subject_at,
                        created_at = excluded.created_at;
                    DELETE FROM room_affiliations WHERE room_jid = $room;
                    """)
                .With("$room", room.RoomJid)
                .With("$config", room.ConfigJson)
                .With("$subject", room.Subject)
                .With("$subjectNick", room.SubjectNick)
                .With("$subjectAt", room.SubjectAt is { } at ? SqliteTime.ToColumn(at) : null)
                .With("$createdAt", SqliteTime.ToColumn(room.CreatedAt)))
            {
                await upsert.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            }
            if (affiliations.Length > 0)
            {
                await using var insert = connection.Command(tx, """
                    INSERT INTO room_affiliations (room_jid, jid, position, affiliation, reason, nick)
                    VALUES ($room, $jid, $position, $affiliation, $reason, $nick);
                    """);
                insert.Parameters.AddWithValue("$room", room.RoomJid);
                var jid = insert.Parameters.Add("$jid", SqliteType.Text);
                var position = insert.Parameters.Add("$position", SqliteType.Integer);
                var affiliation = insert.Parameters.Add("$affiliation", SqliteType.Text);
                var reason = insert.Parameters.Add("$reason", SqliteType.Text);
                var nick = insert.Parameters.Add("$nick", SqliteType.Text);
                for (var i = 0; i < affiliations.Length; i++)
                {
                    var entry = affiliations[i];
                    jid.Value = entry.Jid;
                    position.Value = i;
                    affiliation.Value = entry.Affiliation;
                    reason.Value = (object?)entry.Reason ?? DBNull.Value;
                    nick.Value = (object?)entry.Nick ?? DBNull.Value;
                    await insert.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                }
            }
            return true;
        }, ct);
    }

    public Task<StoredRoom?> LoadAsync(string roomJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(roomJid, nameof(roomJid));
        return _db.ReadAsync(async (connection, token) =>
        {
            // Two statements, one snapshot: without the read transaction a save committed
            // between them could pair the old room row with the new affiliations.
            await using var tx = connection.BeginTransaction(deferred: true);
            StoredRoom room;
            await using (var select = connection.Command(tx, """
                    SELECT config_json, subject, subject_nick, subject_at, created_at
                    FROM rooms WHERE room_jid = $room;
                    """)
                .With("$room", roomJid))
            await using (var reader = await select.ExecuteReaderAsync(token).ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(token).ConfigureAwait(false))
                {
                    return null;
                }
                room = new StoredRoom(
                    roomJid,
                    reader.GetString(0),
                    [],
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : SqliteTime.FromColumn(reader.GetInt64(3)),
                    SqliteTime.FromColumn(reader.GetInt64(4)));
            }
            var affiliations = new List<StoredAffiliation>();
            await using (var select = connection.Command(tx, """
                    SELECT jid, affiliation, reason, nick
                    FROM room_affiliations WHERE room_jid = $room
                    ORDER BY position;
                    """)
                .With("$room", roomJid))
            await using (var reader = await select.ExecuteReaderAsync(token).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(token).ConfigureAwait(false))
                {
                    affiliations.Add(new StoredAffiliation(
                        reader.GetString(0),
                        reader.GetString(1),
                        reader.IsDBNull(2) ? null : reader.GetString(2),
                        reader.IsDBNull(3) ? null : reader.GetString(3)));
                }
            }
            return room with { Affiliations = affiliations };
        }, ct);
    }

    public Task<bool> DeleteAsync(string roomJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(roomJid, nameof(roomJid));
        return _db.WriteAsync(async (connection, tx, token) =>
        {
            // room_affiliations rows follow by ON DELETE CASCADE.
            await using var delete = connection.Command(tx, "DELETE FROM rooms WHERE room_jid = $room;")
                .With("$room", roomJid);
            return await delete.ExecuteNonQueryAsync(token).ConfigureAwait(false) > 0;
        }, ct);
    }

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken ct = default) =>
        _db.ReadSortedColumnAsync("SELECT room_jid FROM rooms;", ct);
}
