namespace XmppConf.Server.Options;

/// <summary>The "Storage" section.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>StackExchange.Redis connection string. Empty: the embedded default (in-memory + SQLite).</summary>
    public string? Redis { get; set; }
}
