using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using XmppConf.Server.Hosting;

namespace XmppConf.Server.Cli;

/// <summary>
/// xmppconf [serve] [--Section:Key=value ...]
/// xmppconf user add|add-many|delete|passwd|list [JID] [--Section:Key=value ...]
/// Settings switches work with every verb, so the CLI sees the same data directory as the server.
/// </summary>
public static class CommandLine
{
    public const string Usage = """
        Usage:
          xmppconf [serve] [--config FILE] [--Section:Key=value ...]
          xmppconf user add JID         create an account (password from prompt, or stdin when piped)
          xmppconf user add-many PREFIX COUNT   create PREFIX0..PREFIX(COUNT-1), one password for all (prompt or stdin)
          xmppconf user add-many        create accounts from "name password" lines on stdin
                                        (both: one transaction, existing accounts are skipped)
          xmppconf user passwd JID      change a password
          xmppconf user delete JID      delete an account with its roster and offline messages
          xmppconf user list            list accounts
        Settings: server.config.json, then XMPPCONF_Section__Key environment variables, then switches.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var verbs = args.TakeWhile(a => !a.StartsWith('-')).ToList();
        var switches = args.Skip(verbs.Count).ToList();
        if (switches.Contains("--help") || switches.Contains("-h") || verbs is ["help"])
        {
            Console.WriteLine(Usage);
            return 0;
        }
        try
        {
            var configuration = ServerConfiguration.Load(switches);
            return verbs switch
            {
                [] or ["serve"] => await ServeAsync(configuration).ConfigureAwait(false),
                ["user", .. var rest] => await UserCommand.RunAsync(rest, configuration).ConfigureAwait(false),
                _ => Fail($"Unknown command '{string.Join(' ', verbs)}'.\n{Usage}"),
            };
        }
        catch (OptionsValidationException ex)
        {
            return Fail("Configuration error:\n  " + string.Join("\n  ", ex.Failures));
        }
        catch (InvalidOperationException ex) when (ex.Source is "Microsoft.Extensions.Configuration.Binder" or "XmppConf.Server" or "xmppconf")
        {
            return Fail("Configuration error: " + ex.Message);
        }
    }

    private static async Task<int> ServeAsync(Microsoft.Extensions.Configuration.IConfigurationRoot configuration)
    {
        await using var app = XmppConfServer.Build(configuration);
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    internal static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
