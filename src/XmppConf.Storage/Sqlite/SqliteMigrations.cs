using Microsoft.Data.Sqlite;

namespace XmppConf.Storage.Sqlite;

/// <summary>
/// Numbered schema migrations. Append only: a released migration is never edited, a change
/// is a new number. All pending ones run in one transaction at open, so a crash mid-upgrade
/// leaves the previous schema intact.
/// </summary>
internal static class SqliteMigrations
{
    private static readonly string[] Steps =
    [
        // 1: accounts, rosters, offline messages.
        """
        CREATE TABLE accounts (
            bare_jid   TEXT    NOT NULL PRIMARY KEY,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE scram_keys (
            bare_jid   TEXT    NOT NULL REFERENCES accounts (bare_jid) ON DELETE CASCADE,
            hash       TEXT    NOT NULL,
            salt       BLOB    NOT NULL,
            iterations INTEGER NOT NULL,
            stored_key BLOB    NOT NULL,
            server_key BLOB    NOT NULL,
            PRIMARY KEY (bare_jid, hash)
        ) WITHOUT ROWID;
        CREATE TABLE roster_versions (
            owner   TEXT    NOT NULL PRIMARY KEY,
            version INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE roster_items (
            owner             TEXT    NOT NULL,
            contact           TEXT    NOT NULL,
            name              TEXT,
            subscription      INTEGER NOT NULL,
            pending_out       INTEGER NOT NULL,
            pending_in        INTEGER NOT NULL,
            pre_approved      INTEGER NOT NULL,
            in_roster         INTEGER NOT NULL,
            pending_in_stanza TEXT,
            PRIMARY KEY (owner, contact)
        ) WITHOUT ROWID;
        CREATE TABLE roster_groups (
            owner    TEXT    NOT NULL,
            contact  TEXT    NOT NULL,
            position INTEGER NOT NULL,
            name     TEXT    NOT NULL,
            PRIMARY KEY (owner, contact, position),
            FOREIGN KEY (owner, contact) REFERENCES roster_items (owner, contact) ON DELETE CASCADE
        ) WITHOUT ROWID;
        -- AUTOINCREMENT: ids are never reused, so they keep growing in storing order.
        CREATE TABLE offline_messages (
            id        INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            to_jid    TEXT    NOT NULL,
            stanza    TEXT    NOT NULL,
            stored_at INTEGER NOT NULL
        );
        CREATE INDEX offline_messages_by_user ON offline_messages (to_jid, id);
        """,
        // 2: persistent XEP-0045 rooms. rooms keeps its rowid: config_json can be large, and
        // WITHOUT ROWID suits only small rows. Affiliations keep the order they were saved in.
        """
        CREATE TABLE rooms (
            room_jid     TEXT    NOT NULL PRIMARY KEY,
            config_json  TEXT    NOT NULL,
            subject      TEXT,
            subject_nick TEXT,
            subject_at   INTEGER,
            created_at   INTEGER NOT NULL
        );
        CREATE TABLE room_affiliations (
            room_jid    TEXT    NOT NULL REFERENCES rooms (room_jid) ON DELETE CASCADE,
            jid         TEXT    NOT NULL,
            position    INTEGER NOT NULL,
            affiliation TEXT    NOT NULL,
            reason      TEXT,
            nick        TEXT,
            PRIMARY KEY (room_jid, jid)
        ) WITHOUT ROWID;
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int Latest => Steps.Length;

    /// <summary>Brings the database to <see cref="Latest"/>; returns the version it is at.</summary>
    public static int Apply(SqliteConnection connection)
    {
        using var tx = connection.BeginTransaction(deferred: false);
        using (var create = connection.CreateCommand())
        {
            create.Transaction = tx;
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL);";
            create.ExecuteNonQuery();
        }
        int current;
        using (var read = connection.CreateCommand())
        {
            read.Transaction = tx;
            read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version;";
            current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        if (current > Latest)
        {
            throw new InvalidOperationException(
                $"The database schema is at version {current}, newer than the {Latest} this build knows; refusing to open it.");
        }
        for (var version = current + 1; version <= Latest; version++)
        {
            using var step = connection.CreateCommand();
            step.Transaction = tx;
            step.CommandText = Steps[version - 1];
            step.ExecuteNonQuery();

            using var mark = connection.CreateCommand();
            mark.Transaction = tx;
            mark.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES ($version, $at);";
            mark.Parameters.AddWithValue("$version", version);
            mark.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.UtcTicks);
            mark.ExecuteNonQuery();
        }
        tx.Commit();
        return Latest;
    }
}
