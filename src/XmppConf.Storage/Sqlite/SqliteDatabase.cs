using Microsoft.Data.Sqlite;

namespace XmppConf.Storage.Sqlite;

/// <summary>
/// One SQLite database file shared by the SQLite stores.
/// <para>
/// Connections: one per operation, from Microsoft.Data.Sqlite's pool. In WAL mode readers never
/// block the writer or each other, so roster and offline reads at login run in parallel on
/// their own connections; a single shared connection would queue every read behind every
/// write. Writes are still serialised in-process by a <see cref="SemaphoreSlim"/>: SQLite
/// allows one writer anyway, and queueing on the semaphore is fair and cheap where
/// contending for the file lock means sleeping and retrying on SQLITE_BUSY. busy_timeout
/// covers the remaining case, another process (the command line tool) writing the same file.
/// </para>
/// <para>
/// Microsoft.Data.Sqlite's async methods complete synchronously; they are used so a future
/// provider with real async I/O drops in, and because cancellation reaches sqlite3_interrupt.
/// </para>
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable, IDisposable
{
    /// <summary>How long a statement waits for another process's lock before failing with SQLITE_BUSY.</summary>
    internal const int BusyTimeoutMilliseconds = 5000;

    // foreign_keys and busy_timeout are per connection, not stored in the file, and a pooled
    // connection may be new, so they are set on every open (a few microseconds in process).
    private static readonly string ConnectionPragmas =
        $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {BusyTimeoutMilliseconds};";

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private volatile bool _disposed;

    private SqliteDatabase(string filePath, string connectionString, int schemaVersion)
    {
        FilePath = filePath;
        _connectionString = connectionString;
        SchemaVersion = schemaVersion;
    }

    public string FilePath { get; }

    /// <summary>The schema version after migrations ran.</summary>
    public int SchemaVersion { get; }

    /// <summary>
    /// Opens the database file, creating it and its directory if missing, switches it to WAL
    /// and applies pending migrations. Throws if the file's schema is newer than this build.
    /// </summary>
    public static SqliteDatabase Open(string filePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        var fullPath = Path.GetFullPath(filePath);
        var directory = Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();

        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        ApplyConnectionPragmas(connection);
        using (var wal = connection.CreateCommand())
        {
            // WAL is stored in the file, so setting it once here lasts for every connection.
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            var mode = wal.ExecuteScalar() as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite refused WAL mode for {fullPath} (journal mode is '{mode}').");
            }
        }
        var version = SqliteMigrations.Apply(connection);
        return new SqliteDatabase(fullPath, connectionString, version);
    }

    /// <summary>Runs a read on its own pooled connection, concurrently with other reads and the writer.</summary>
    /// <summary>
    /// One text column of every row, in .NET ordinal order. Sorted here rather than by ORDER BY:
    /// SQLite's BINARY collation orders UTF-8 bytes, which differs from ordinal (UTF-16) order for
    /// some characters.
    /// </summary>
    internal Task<IReadOnlyList<string>> ReadSortedColumnAsync(string sql, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<string>>(async (connection, token) =>
        {
            await using var select = connection.Command(null, sql);
            await using var reader = await select.ExecuteReaderAsync(token).ConfigureAwait(false);
            var values = new List<string>();
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                values.Add(reader.GetString(0));
            }
            values.Sort(StringComparer.Ordinal);
            return values;
        }, ct);

    internal async Task<T> ReadAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        await using var connection = await OpenConnectionAsync(ct).ConfigureAwait(false);
        return await read(connection, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a write in one BEGIN IMMEDIATE transaction, committed when <paramref name="write"/>
    /// returns and rolled back if it throws. Writers are serialised in process.
    /// </summary>
    internal async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> write, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenConnectionAsync(ct).ConfigureAwait(false);
            // IMMEDIATE takes the write lock up front, so a read-then-write transaction cannot
            // fail half way with SQLITE_BUSY_SNAPSHOT when another process wrote meanwhile.
            await using var tx = connection.BeginTransaction(deferred: false);
            var result = await write(connection, tx, ct).ConfigureAwait(false);
            await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    internal async Task<SqliteConnection> OpenConnectionAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            ApplyConnectionPragmas(connection);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Closes the pooled connections, which checkpoints the WAL and releases the file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static void ApplyConnectionPragmas(SqliteConnection connection)
    {
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = ConnectionPragmas;
        pragmas.ExecuteNonQuery();
    }
}
