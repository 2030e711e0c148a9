using XmppConf.Storage.InMemory;
using XmppConf.Storage.Sqlite;

namespace XmppConf.Storage;

/// <summary>
/// The embedded storage set: durable data in one SQLite file, the live session table in
/// memory. Disposing closes the database; the presence table simply goes away with the process.
/// </summary>
public sealed record EmbeddedStores(
    SqliteDatabase Database,
    SqliteAccountStore Accounts,
    SqliteRosterStore Rosters,
    SqliteOfflineStore Offline,
    InMemoryPresenceTable Presence) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
