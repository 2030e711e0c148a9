using Microsoft.Data.Sqlite;

namespace XmppConf.Storage.Sqlite;

internal static class SqliteCommands
{
    /// <summary>A command bound to the transaction, which Microsoft.Data.Sqlite requires while one is open.</summary>
    public static SqliteCommand Command(this SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command;
    }

    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
