using Microsoft.Extensions.Configuration;
using XmppConf.Server.Options;

namespace XmppConf.Server.Hosting;

/// <summary>
/// Configuration sources in order of precedence, lowest first: server.config.json (or the file
/// named by --config), environment variables prefixed XMPPCONF_ (XMPPCONF_Server__C2sPort=15222),
/// then command-line switches (--Server:Domain=example.org).
/// </summary>
public static class ServerConfiguration
{
    public const string EnvironmentPrefix = "XMPPCONF_";
    public const string DefaultFile = "server.config.json";

    private static readonly string[] KnownSections = [ServerOptions.Section, TlsOptions.Section, AuthOptions.Section, LimitsOptions.Section, StorageOptions.Section, "Muc", "Logging"];

    public static IConfigurationRoot Load(IReadOnlyList<string> switches)
    {
        var path = ConfigPath(switches);
        var builder = new ConfigurationBuilder();
        if (path is not null)
        {
            if (!File.Exists(path)) throw new InvalidOperationException($"--config: file '{path}' does not exist.");
            builder.AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false);
        }
        else
        {
            builder.AddJsonFile(Path.GetFullPath(DefaultFile), optional: true, reloadOnChange: false);
        }
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddCommandLine(WithoutConfigSwitch(switches));
        var configuration = builder.Build();
        CheckSections(configuration);
        return configuration;
    }

    /// <summary>A misspelt section ("Sever") would otherwise be ignored silently; name it instead.</summary>
    private static void CheckSections(IConfiguration configuration)
    {
        foreach (var section in configuration.GetChildren())
        {
            if (!KnownSections.Contains(section.Key, StringComparer.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{section.Key}: unknown configuration section (known: {string.Join(", ", KnownSections)}).");
            }
        }
    }

    private static string[] WithoutConfigSwitch(IReadOnlyList<string> switches)
    {
        var rest = new List<string>(switches.Count);
        for (var i = 0; i < switches.Count; i++)
        {
            if (switches[i] == "--config") { i++; continue; }
            if (switches[i].StartsWith("--config=", StringComparison.Ordinal)) continue;
            rest.Add(switches[i]);
        }
        return rest.ToArray();
    }

    private static string? ConfigPath(IReadOnlyList<string> switches)
    {
        for (var i = 0; i < switches.Count; i++)
        {
            var s = switches[i];
            if (s.StartsWith("--config=", StringComparison.Ordinal)) return s["--config=".Length..];
            if (s == "--config" && i + 1 < switches.Count) return switches[i + 1];
        }
        return null;
    }
}
