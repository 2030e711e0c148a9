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

    /// <summary>"alice" means alice@Server:Domain; a JID on another domain is refused (this server serves one).</summary>
    private static async Task<int> WithJid(string text, ServerOptions server, Func<Jid, Task<int>> action)
    {
        if (!text.Contains('@')) text += "@" + server.Domain;
        if (!Jid.TryParse(text, out var jid) || !jid.IsBare || jid.Local is null) return CommandLine.Fail($"'{text}' is not a bare user JID.");
        if (jid.Domain != server.Domain) return CommandLine.Fail($"{jid} is not on this server's domain ({server.Domain}).");
        return await action(jid).ConfigureAwait(false);
    }
}
