using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using XmppConf.Core.Addressing;
using XmppConf.Server.Accounts;
using XmppConf.Server.Hosting;
using XmppConf.Server.Options;

namespace XmppConf.Server.Cli;

/// <summary>Account administration: the same AccountService and store as the running server.</summary>
internal static class UserCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, IConfiguration configuration)
    {
        var services = new ServiceCollection().AddXmppConfOptions(configuration).AddXmppConfStorage();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var server = provider.GetRequiredService<IOptions<ServerOptions>>().Value; // validates Server:*
        _ = provider.GetRequiredService<IOptions<AuthOptions>>().Value;
        var accounts = provider.GetRequiredService<AccountService>();
        switch (args)
        {
            case ["list"]:
                foreach (var account in await accounts.ListAsync().ConfigureAwait(false)) Console.WriteLine(account);
                return 0;
            case ["add", var jid]:
                return await WithJid(jid, server, async user =>
                {
                    var password = PasswordReader.Read($"Password for {user}: ", confirm: true);
                    if (password is null) return CommandLine.Fail("No password given.");
                    if (!await accounts.CreateAsync(user, password).ConfigureAwait(false)) return CommandLine.Fail($"{user} already exists.");
                    Console.WriteLine($"Created {user}.");
                    return 0;
                }).ConfigureAwait(false);
            case ["add-many", var prefix, var countText]:
                {
                    if (!int.TryParse(countText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) || count < 1)
                        return CommandLine.Fail($"'{countText}' is not a positive account count.");
                    var password = PasswordReader.Read($"Password for {prefix}0..{prefix}{count - 1}: ", confirm: true);
                    if (password is null) return CommandLine.Fail("No password given.");
                    var names = new List<(string, string)>(count);
                    for (var i = 0; i < count; i++) names.Add((prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture), password));
                    return await AddManyAsync(accounts, server, names).ConfigureAwait(false);
                }
            case ["add-many"]:
                {
                    if (!Console.IsInputRedirected) return CommandLine.Fail("add-many without PREFIX COUNT reads \"name password\" lines from stdin.");
                    var names = new List<(string, string)>();
                    var lineNumber = 0;
                    while (Console.In.ReadLine() is { } line)
                    {
                        lineNumber++;
                        if (string.IsNullOrWhiteSpace(line)) continue;
                        var space = line.IndexOf(' ', StringComparison.Ordinal);
                        if (space <= 0 || space == line.Length - 1) return CommandLine.Fail($"Line {lineNumber}: expected \"name password\".");
                        names.Add((line[..space], line[(space + 1)..]));
                    }
                    return await AddManyAsync(accounts, server, names).ConfigureAwait(false);
                }
            case ["passwd", var jid]:
                return await WithJid(jid, server, async user =>
                {
                    if (!await accounts.ExistsAsync(user).ConfigureAwait(false)) return CommandLine.Fail($"{user} does not exist.");
                    var password = PasswordReader.Read($"New password for {user}: ", confirm: true);
                    if (password is null) return CommandLine.Fail("No password given.");
                    await accounts.SetPasswordAsync(user, password).ConfigureAwait(false);
                    Console.WriteLine($"Password of {user} changed.");
                    return 0;
                }).ConfigureAwait(false);
            case ["delete", var jid]:
                return await WithJid(jid, server, async user =>
                {
                    if (!await accounts.DeleteAsync(user).ConfigureAwait(false)) return CommandLine.Fail($"{user} does not exist.");
                    Console.WriteLine($"Deleted {user}.");
                    return 0;
                }).ConfigureAwait(false);
            default:
                return CommandLine.Fail(CommandLine.Usage);
        }
    }

    /// <summary>Validates every name first, so a typo on line 900 creates nothing.</summary>
    private static async Task<int> AddManyAsync(AccountService accounts, ServerOptions server, IReadOnlyList<(string Name, string Password)> names)
    {
        var parsed = new List<(Jid, string)>(names.Count);
        foreach (var (name, password) in names)
        {
            if (!TryParseUser(name, server, out var jid, out var error)) return CommandLine.Fail(error);
            parsed.Add((jid, password));
        }
        var created = await accounts.CreateManyAsync(parsed).ConfigureAwait(false);
        Console.WriteLine($"Created {created} of {parsed.Count} accounts ({parsed.Count - created} existed).");
        return 0;
    }

    /// <summary>"alice" means alice@Server:Domain; a JID on another domain is refused (this server serves one).</summary>
    private static async Task<int> WithJid(string text, ServerOptions server, Func<Jid, Task<int>> action)
    {
        if (!TryParseUser(text, server, out var jid, out var error)) return CommandLine.Fail(error);
        return await action(jid).ConfigureAwait(false);
    }

    private static bool TryParseUser(string text, ServerOptions server, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Jid? jid, out string error)
    {
        if (!text.Contains('@')) text += "@" + server.Domain;
        error = "";
        if (!Jid.TryParse(text, out jid) || !jid.IsBare || jid.Local is null)
        {
            error = $"'{text}' is not a bare user JID.";
            return false;
        }
        if (jid.Domain != server.Domain)
        {
            error = $"{jid} is not on this server's domain ({server.Domain}).";
            return false;
        }
        return true;
    }
}
