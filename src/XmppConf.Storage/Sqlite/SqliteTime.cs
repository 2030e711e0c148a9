namespace XmppConf.Storage.Sqlite;

/// <summary>Instants are stored as UTC ticks: exact, sortable, and free of text parsing.</summary>
internal static class SqliteTime
{
    public static long ToColumn(DateTimeOffset value) => value.UtcTicks;

    public static DateTimeOffset FromColumn(long ticks) => new(ticks, TimeSpan.Zero);
}
