using XmppConf.Storage.Sqlite;
using XmppConf.Storage.Tests.Abstractions;

namespace XmppConf.Storage.Tests.Sqlite;

internal static class SqliteStores
{
    /// <summary>The three SQLite stores on a new database in a temp directory, removed on dispose.</summary>
    public static StoreSet Open() => Open(out _);

    public static StoreSet Open(out SqliteDatabase database)
    {
        var directory = new TempDirectory();
        var db = SqliteDatabase.Open(directory.File("test.db"));
        database = db;
        return new StoreSet(new SqliteAccountStore(db), new SqliteRosterStore(db), new SqliteOfflineStore(db), () =>
        {
            db.Dispose();
            directory.Dispose();
            return ValueTask.CompletedTask;
        });
    }
}
