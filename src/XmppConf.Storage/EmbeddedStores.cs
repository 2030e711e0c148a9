using XmppConf.Storage.InMemory;
using XmppConf.Storage.Sqlite;

namespace XmppConf.Storage;

/// <summary>
/// The embedded storage set: durable data in one SQLite file, the live session and occupancy
/// tables in memory. Disposing closes the database; the live tables simply go away with the process.
/// </summary>
public sealed record EmbeddedStores(
    SqliteDatabase Database,
    SqliteAccountStore Accounts,
    SqliteRosterStore Rosters,
    SqliteOfflineStore Offline,
    InMemoryPresenceTable Presence) : IAsyncDisposable
{
    // Properties rather than constructor parameters, so existing constructor calls still compile.

    /// <summary>Persistent XEP-0045 rooms, in the same database file.</summary>
    public SqliteRoomStore Rooms { get; init; } = new(Database);

    /// <summary>Live room occupancy.</summary>
    public InMemoryOccupancyTable Occupancy { get; init; } = new();

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
