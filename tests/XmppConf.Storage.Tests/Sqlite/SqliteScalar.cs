using System.Globalization;
using XmppConf.Storage.Sqlite;

namespace XmppConf.Storage.Tests.Sqlite;

internal static class SqliteScalar
{
    /// <summary>Runs a constant query on a fresh connection of the database and returns the first column of the first row.</summary>
    public static async Task<long> LongAsync(SqliteDatabase db, string sql)
    {
        await using var connection = await db.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public static async Task<string?> TextAsync(SqliteDatabase db, string sql)
    {
        await using var connection = await db.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string?)await command.ExecuteScalarAsync();
    }
}
