using Microsoft.Data.Sqlite;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Storage.Sqlite;

/// <summary>Offline queues in SQLite: one row per stanza, AUTOINCREMENT ids give storing order.</summary>
public sealed class SqliteOfflineStore : IOfflineStore
{
    private readonly SqliteDatabase _db;

    public SqliteOfflineStore(SqliteDatabase db)
    {
        ArgumentNullException.ThrowIfNull(db);
        _db = db;
    }

    public Task<bool> TryStoreAsync(string toBareJid, string stanzaXml, DateTimeOffset storedAt, int maxPerUser, CancellationToken ct = default)
    {
        StoreGuard.Jid(toBareJid, nameof(toBareJid));
        ArgumentNullException.ThrowIfNull(stanzaXml);
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerUser);
        return _db.WriteAsync(async (connection, tx, token) =>
        {
            // The quota check and the insert are one statement, so they cannot be split by another writer.
            await using var insert = connection.Command(tx, """
                    INSERT INTO offline_messages (to_jid, stanza, stored_at)
                    SELECT $to, $stanza, $at
                    WHERE (SELECT COUNT(*) FROM offline_messages WHERE to_jid = $to) < $max;
                    """)
                .With("$to", toBareJid)
                .With("$stanza", stanzaXml)
                .With("$at", SqliteTime.ToColumn(storedAt))
                .With("$max", maxPerUser);
            return await insert.ExecuteNonQueryAsync(token).ConfigureAwait(false) == 1;
        }, ct);
    }

    public Task<IReadOnlyList<OfflineMessage>> PeekAllAsync(string toBareJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(toBareJid, nameof(toBareJid));
        return _db.ReadAsync<IReadOnlyList<OfflineMessage>>(async (connection, token) =>
        {
            await using var select = connection.Command(null,
                    "SELECT id, stanza, stored_at FROM offline_messages WHERE to_jid = $to ORDER BY id;")
                .With("$to", toBareJid);
            await using var reader = await select.ExecuteReaderAsync(token).ConfigureAwait(false);
            var messages = new List<OfflineMessage>();
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                messages.Add(new OfflineMessage(reader.GetInt64(0), toBareJid, reader.GetString(1), SqliteTime.FromColumn(reader.GetInt64(2))));
            }
            return messages;
        }, ct);
    }

    public Task RemoveAsync(string toBareJid, IReadOnlyList<long> ids, CancellationToken ct = default)
    {
        StoreGuard.Jid(toBareJid, nameof(toBareJid));
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return Task.CompletedTask;
        }
        return _db.WriteAsync(async (connection, tx, token) =>
        {
            // The owner is part of the key, so one user cannot delete another's messages by id.
            await using var delete = connection.Command(tx, "DELETE FROM offline_messages WHERE id = $id AND to_jid = $to;")
                .With("$to", toBareJid);
            var id = delete.Parameters.Add("$id", SqliteType.Integer);
            var removed = 0;
            foreach (var value in ids)
            {
                id.Value = value;
                removed += await delete.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            }
            return removed;
        }, ct);
    }

    public Task<int> CountAsync(string toBareJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(toBareJid, nameof(toBareJid));
        return _db.ReadAsync(async (connection, token) =>
        {
            await using var count = connection.Command(null, "SELECT COUNT(*) FROM offline_messages WHERE to_jid = $to;")
                .With("$to", toBareJid);
            return Convert.ToInt32(await count.ExecuteScalarAsync(token).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }, ct);
    }
}
