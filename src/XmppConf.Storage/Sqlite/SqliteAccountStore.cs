using Microsoft.Data.Sqlite;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Storage.Sqlite;

/// <summary>Accounts in SQLite: one row per account, one scram_keys row per hash.</summary>
public sealed class SqliteAccountStore : IAccountStore
{
    private readonly SqliteDatabase _db;

    public SqliteAccountStore(SqliteDatabase db)
    {
        ArgumentNullException.ThrowIfNull(db);
        _db = db;
    }

    public Task<bool> CreateAsync(AccountRecord account, CancellationToken ct = default)
    {
        StoreGuard.Account(account);
        return _db.WriteAsync(async (connection, tx, token) =>
        {
            await using var insert = connection.Command(tx,
                    "INSERT INTO accounts (bare_jid, created_at) VALUES ($jid, $at) ON CONFLICT (bare_jid) DO NOTHING;")
                .With("$jid", account.BareJid)
                .With("$at", SqliteTime.ToColumn(account.CreatedAt));
            if (await insert.ExecuteNonQueryAsync(token).ConfigureAwait(false) == 0)
            {
                return false;
            }
            await InsertKeysAsync(connection, tx, account.BareJid, account.Keys, token).ConfigureAwait(false);
            return true;
        }, ct);
    }

    public Task<int> CreateManyAsync(IReadOnlyList<AccountRecord> accounts, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        foreach (var account in accounts) StoreGuard.Account(account);
        return _db.WriteAsync(async (connection, tx, token) =>
        {
            await using var insert = connection.Command(tx,
                "INSERT INTO accounts (bare_jid, created_at) VALUES ($jid, $at) ON CONFLICT (bare_jid) DO NOTHING;");
            var jid = insert.Parameters.Add("$jid", SqliteType.Text);
            var at = insert.Parameters.Add("$at", SqliteType.Integer);
            var created = 0;
            foreach (var account in accounts)
            {
                jid.Value = account.BareJid;
                at.Value = SqliteTime.ToColumn(account.CreatedAt);
                if (await insert.ExecuteNonQueryAsync(token).ConfigureAwait(false) == 0) continue;
                await InsertKeysAsync(connection, tx, account.BareJid, account.Keys, token).ConfigureAwait(false);
                created++;
            }
            return created;
        }, ct);
    }

    public Task<AccountRecord?> FindAsync(string bareJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(bareJid, nameof(bareJid));
        return _db.ReadAsync(async (connection, token) =>
        {
            // One statement, so the account and its keys come from the same snapshot.
            await using var select = connection.Command(null, """
                    SELECT a.created_at, k.hash, k.salt, k.iterations, k.stored_key, k.server_key
                    FROM accounts a LEFT JOIN scram_keys k ON k.bare_jid = a.bare_jid
                    WHERE a.bare_jid = $jid;
                    """)
                .With("$jid", bareJid);
            await using var reader = await select.ExecuteReaderAsync(token).ConfigureAwait(false);
            DateTimeOffset? createdAt = null;
            var keys = new List<StoredScramKey>(2);
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                createdAt = SqliteTime.FromColumn(reader.GetInt64(0));
                if (!reader.IsDBNull(1))
                {
                    keys.Add(new StoredScramKey(
                        reader.GetString(1),
                        reader.GetFieldValue<byte[]>(2),
                        reader.GetInt32(3),
                        reader.GetFieldValue<byte[]>(4),
                        reader.GetFieldValue<byte[]>(5)));
                }
            }
            return createdAt is { } at ? new AccountRecord(bareJid, keys, at) : null;
        }, ct);
    }

    public Task<bool> UpdateKeysAsync(string bareJid, IReadOnlyList<StoredScramKey> keys, CancellationToken ct = default)
    {
        StoreGuard.Jid(bareJid, nameof(bareJid));
        StoreGuard.Keys(keys);
        return _db.WriteAsync(async (connection, tx, token) =>
        {
            await using var exists = connection.Command(tx, "SELECT 1 FROM accounts WHERE bare_jid = $jid;")
                .With("$jid", bareJid);
            if (await exists.ExecuteScalarAsync(token).ConfigureAwait(false) is null)
            {
                return false;
            }
            await using var clear = connection.Command(tx, "DELETE FROM scram_keys WHERE bare_jid = $jid;")
                .With("$jid", bareJid);
            await clear.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            await InsertKeysAsync(connection, tx, bareJid, keys, token).ConfigureAwait(false);
            return true;
        }, ct);
    }

    public Task<bool> DeleteAsync(string bareJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(bareJid, nameof(bareJid));
        return _db.WriteAsync(async (connection, tx, token) =>
        {
            // scram_keys and roster_groups follow by ON DELETE CASCADE; the rest is keyed by
            // JID without a foreign key, because rosters and queues are usable without an
            // account row (the in-memory stores have none), so it is deleted here explicitly.
            await using var delete = connection.Command(tx, "DELETE FROM accounts WHERE bare_jid = $jid;")
                .With("$jid", bareJid);
            var removed = await delete.ExecuteNonQueryAsync(token).ConfigureAwait(false) > 0;
            await using var owned = connection.Command(tx, """
                    DELETE FROM roster_items WHERE owner = $jid;
                    DELETE FROM roster_versions WHERE owner = $jid;
                    DELETE FROM offline_messages WHERE to_jid = $jid;
                    """)
                .With("$jid", bareJid);
            await owned.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            return removed;
        }, ct);
    }

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken ct = default) =>
        _db.ReadSortedColumnAsync("SELECT bare_jid FROM accounts;", ct);

    private static async Task InsertKeysAsync(SqliteConnection connection, SqliteTransaction tx, string bareJid,
        IReadOnlyList<StoredScramKey> keys, CancellationToken ct)
    {
        if (keys.Count == 0)
        {
            return;
        }
        await using var insert = connection.Command(tx, """
            INSERT INTO scram_keys (bare_jid, hash, salt, iterations, stored_key, server_key)
            VALUES ($jid, $hash, $salt, $iterations, $stored, $server);
            """);
        var jid = insert.Parameters.Add("$jid", SqliteType.Text);
        var hash = insert.Parameters.Add("$hash", SqliteType.Text);
        var salt = insert.Parameters.Add("$salt", SqliteType.Blob);
        var iterations = insert.Parameters.Add("$iterations", SqliteType.Integer);
        var stored = insert.Parameters.Add("$stored", SqliteType.Blob);
        var server = insert.Parameters.Add("$server", SqliteType.Blob);
        jid.Value = bareJid;
        foreach (var key in keys)
        {
            hash.Value = key.Hash;
            salt.Value = key.Salt;
            iterations.Value = key.Iterations;
            stored.Value = key.StoredKey;
            server.Value = key.ServerKey;
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }
}
