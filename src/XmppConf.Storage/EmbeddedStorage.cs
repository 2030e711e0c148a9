using XmppConf.Storage.InMemory;
using XmppConf.Storage.Sqlite;

namespace XmppConf.Storage;

/// <summary>Opens the single-node default storage under a data directory.</summary>
public static class EmbeddedStorage
{
    public const string DatabaseFileName = "xmppconf.db";

    /// <summary>Opens (creating if needed) &lt;dataDirectory&gt;/xmppconf.db and runs pending migrations.</summary>
    public static EmbeddedStores Open(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var db = SqliteDatabase.Open(Path.Combine(dataDirectory, DatabaseFileName));
        return new EmbeddedStores(
            db,
            new SqliteAccountStore(db),
            new SqliteRosterStore(db),
            new SqliteOfflineStore(db),
            new InMemoryPresenceTable());
    }
}
