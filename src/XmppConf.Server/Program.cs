using var c = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=/tmp/t.db");
c.Open(); var cmd = c.CreateCommand(); cmd.CommandText = "select sqlite_version()"; System.Console.WriteLine(cmd.ExecuteScalar());
