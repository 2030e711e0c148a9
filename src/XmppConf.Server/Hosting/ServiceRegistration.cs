using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using XmppConf.Muc.Service;
using XmppConf.Server.Accounts;
using XmppConf.Server.Options;
using XmppConf.Storage.Abstractions;
using XmppConf.Storage;

namespace XmppConf.Server.Hosting;

/// <summary>DI wiring shared by the server and the command-line tools, so both see the same accounts.</summary>
public static class ServiceRegistration
{
    /// <summary>Options (bound strictly: an unknown key fails at start naming the key) and their validators.</summary>
    public static IServiceCollection AddXmppConfOptions(this IServiceCollection services, IConfiguration configuration)
    {
        Bind<ServerOptions>(services, configuration, ServerOptions.Section);
        Bind<TlsOptions>(services, configuration, TlsOptions.Section);
        Bind<AuthOptions>(services, configuration, AuthOptions.Section);
        Bind<LimitsOptions>(services, configuration, LimitsOptions.Section);
        Bind<StorageOptions>(services, configuration, StorageOptions.Section);
        Bind<MucOptions>(services, configuration, "Muc");
        services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
        services.AddSingleton<IValidateOptions<TlsOptions>, TlsOptionsValidator>();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<IValidateOptions<LimitsOptions>, LimitsOptionsValidator>();
        services.AddSingleton<IValidateOptions<MucOptions>, MucOptionsValidator>();
        return services;
    }

    /// <summary>The embedded default: durable data in SQLite under DataDirectory, live presence in memory.</summary>
    public static IServiceCollection AddXmppConfStorage(this IServiceCollection services)
    {
        services.AddSingleton(sp => EmbeddedStorage.Open(sp.GetRequiredService<IOptions<ServerOptions>>().Value.DataDirectory));
        services.AddSingleton<IAccountStore>(sp => sp.GetRequiredService<EmbeddedStores>().Accounts);
        services.AddSingleton<IRosterStore>(sp => sp.GetRequiredService<EmbeddedStores>().Rosters);
        services.AddSingleton<IOfflineStore>(sp => sp.GetRequiredService<EmbeddedStores>().Offline);
        services.AddSingleton<IPresenceTable>(sp => sp.GetRequiredService<EmbeddedStores>().Presence);
        services.AddSingleton<IRoomStore>(sp => sp.GetRequiredService<EmbeddedStores>().Rooms);
        services.AddSingleton<IOccupancyTable>(sp => sp.GetRequiredService<EmbeddedStores>().Occupancy);
        services.AddSingleton<AccountService>();
        return services;
    }

    private static void Bind<T>(IServiceCollection services, IConfiguration configuration, string section) where T : class =>
        services.AddOptions<T>().Bind(configuration.GetSection(section), o => o.ErrorOnUnknownConfiguration = true).ValidateOnStart();
}
