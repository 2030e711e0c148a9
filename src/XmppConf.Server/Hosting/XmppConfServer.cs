using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XmppConf.Core.Addressing;
using XmppConf.Core.Xml;
using XmppConf.Muc;
using XmppConf.Server.Logging;
using XmppConf.Muc.Service;
using XmppConf.Server.Connections;
using XmppConf.Storage.Abstractions;
using XmppConf.Server.Im;
using XmppConf.Server.Options;
using XmppConf.Server.Routing;
using XmppConf.Server.Sessions;
using XmppConf.Server.Tls;

namespace XmppConf.Server.Hosting;

/// <summary>Builds the server: Kestrel listeners with connection handlers (no HTTP), DI, logging.</summary>
public static class XmppConfServer
{
    public static WebApplication Build(IConfiguration configuration, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.IncludeScopes = true;
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        });

        var services = builder.Services;
        services.AddXmppConfOptions(configuration).AddXmppConfStorage();
        services.AddSingleton<NodeIdentity>();
        services.AddSingleton<Accounts.ServerSecret>();
        services.AddSingleton<ServerCertificateProvider>();
        services.AddSingleton<LocalSessionTable>();
        services.AddSingleton<SessionServices>();
        services.AddSingleton(sp =>
        {
            // The MUC namespaces are held in static fields too, so names peers invent there stay for good as well.
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("XmppConf.Session");
            return new XmlNameBudget(sp.GetRequiredService<IOptions<LimitsOptions>>().Value.MaxDistinctXmlNames,
                XmlNameBudget.ConstantsOf(typeof(MucNs)),
                capacity => ServerLog.XmlNameBudgetExhausted(log, capacity));
        });
        services.AddSingleton<PeerTable>();
        services.AddSingleton<ConnectionGate>();
        services.AddSingleton<ComponentRegistry>();
        services.AddSingleton<IStanzaSink, SessionStanzaSink>();
        services.AddSingleton(sp =>
        {
            var server = sp.GetRequiredService<IOptions<ServerOptions>>().Value;
            var admins = server.Admins.Select(a => Jid.Parse(a).Bare).ToHashSet();
            return new MucService(server.Domain, sp.GetRequiredService<IOptions<MucOptions>>().Value, sp.GetRequiredService<IStanzaSink>(),
                sp.GetRequiredService<IRoomStore>(), sp.GetRequiredService<IOccupancyTable>(), jid => admins.Contains(jid.Bare),
                sp.GetRequiredService<NodeIdentity>().Id, sp.GetRequiredService<ILoggerFactory>());
        });
        services.AddSingleton<IXmppComponent, MucComponent>();
        services.AddSingleton<LocalDelivery>();
        services.AddSingleton<OfflineMessageService>();
        services.AddSingleton<IFeatureProvider>(sp => sp.GetRequiredService<OfflineMessageService>());
        services.AddSingleton<RosterPushes>();
        services.AddSingleton<SubscriptionService>();
        services.AddSingleton<PresenceService>();
        services.AddSingleton<ServerFeatureSet>();
        services.AddSingleton<IqDispatcher>();
        services.AddSingleton<StanzaRouter>();
        AddIqHandler<DiscoInfoHandler>(services, providesFeatures: false);
        AddIqHandler<DiscoItemsHandler>(services, providesFeatures: false);
        AddIqHandler<AccountDiscoInfoHandler>(services, providesFeatures: false);
        AddIqHandler<PingHandler>(services, providesFeatures: true);
        AddIqHandler<VersionHandler>(services, providesFeatures: true);
        AddIqHandler<SessionEstablishmentHandler>(services, providesFeatures: false);
        AddIqHandler<RosterHandler>(services, providesFeatures: true);
        services.AddHostedService<ServerLifetime>();
        configureServices?.Invoke(services);

        builder.WebHost.UseKestrel(kestrel =>
        {
            var server = kestrel.ApplicationServices.GetRequiredService<IOptions<ServerOptions>>().Value;
            var tls = kestrel.ApplicationServices.GetRequiredService<IOptions<TlsOptions>>().Value;
            var limits = kestrel.ApplicationServices.GetRequiredService<IOptions<LimitsOptions>>().Value;
            var address = IPAddress.Parse(server.BindAddress);
            var gate = kestrel.ApplicationServices.GetRequiredService<ConnectionGate>();
            // The framer needs a whole stanza buffered before it can cut it: the transport must hold more than one.
            kestrel.Limits.MaxRequestBufferSize = Math.Max(1L << 20, 2L * limits.MaxStanzaBytes);
            if (server.C2sPort != 0)
            {
                kestrel.Listen(address, server.C2sPort, listen =>
                {
                    // Per-address limits first: a refused connection costs neither a session nor a TLS handshake.
                    listen.Use(gate.Middleware(speaksXmppFirst: true));
                    listen.UseConnectionHandler<C2sConnectionHandler>();
                });
            }
            if (server.DirectTlsPort != 0)
            {
                kestrel.Listen(address, server.DirectTlsPort, listen =>
                {
                    // XEP-0368: TLS from the first byte, ALPN "xmpp-client".
                    var certificates = kestrel.ApplicationServices.GetRequiredService<ServerCertificateProvider>();
                    listen.Use(gate.Middleware(speaksXmppFirst: false));
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificateSelector = (_, _) => certificates.Certificate,
                        SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                        HandshakeTimeout = TimeSpan.FromSeconds(tls.HandshakeTimeoutSeconds),
                        OnAuthenticate = (_, ssl) => ssl.ApplicationProtocols = [new SslApplicationProtocol("xmpp-client")],
                    });
                    listen.UseConnectionHandler<C2sConnectionHandler>();
                });
            }
        });
        return builder.Build();
    }

    private static void AddIqHandler<T>(IServiceCollection services, bool providesFeatures) where T : class, IIqHandler
    {
        services.AddSingleton<T>();
        services.AddSingleton<IIqHandler>(sp => sp.GetRequiredService<T>());
        if (providesFeatures) services.AddSingleton(sp => (IFeatureProvider)sp.GetRequiredService<T>());
    }
}
