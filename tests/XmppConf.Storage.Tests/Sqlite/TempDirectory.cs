namespace XmppConf.Storage.Tests.Sqlite;

/// <summary>A unique directory under the system temp path, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "xmppconf-storage-tests", Guid.NewGuid().ToString("N"));
    }

    /// <summary>Not created yet: opening the database must create it.</summary>
    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
