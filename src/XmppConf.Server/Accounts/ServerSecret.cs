using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using XmppConf.Server.Options;

namespace XmppConf.Server.Accounts;

/// <summary>
/// A random per-installation key kept in the data directory. SCRAM uses it to derive stable fake
/// salts for unknown accounts, so probing a name gives the same answer before and after a restart
/// and reveals nothing about which accounts exist.
/// </summary>
public sealed class ServerSecret
{
    private const string FileName = "server.secret";
    private readonly Lazy<byte[]> _key;

    public ServerSecret(IOptions<ServerOptions> server)
    {
        _key = new Lazy<byte[]>(() => LoadOrCreate(Path.Combine(server.Value.DataDirectory, FileName)));
    }

    public byte[] Key => _key.Value;

    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllBytes(path);
            if (existing.Length == 32) return existing;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = RandomNumberGenerator.GetBytes(32);
        File.WriteAllBytes(path, key);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return key;
    }
}
