using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XmppConf.Core.Stanzas;
using XmppConf.Server.Logging;
using XmppConf.Server.Options;
using XmppConf.Server.Sessions;
using XmppConf.Server.Tls;

namespace XmppConf.Server.Hosting;

/// <summary>
/// Start: make sure the certificate exists (first run creates it and logs the fingerprint) and say
/// where we listen. Stop: tell every client with &lt;system-shutdown/&gt; instead of dropping TCP.
/// </summary>
internal sealed class ServerLifetime(
    ServerCertificateProvider certificates,
    LocalSessionTable sessions,
    NodeIdentity node,
    IOptions<ServerOptions> server,
    IOptions<StorageOptions> storage,
    ILogger<ServerLifetime> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = certificates.Certificate;
        var o = server.Value;
        var endpoints = string.Join(", ", new[]
        {
            o.C2sPort != 0 ? $"{o.BindAddress}:{o.C2sPort} (STARTTLS)" : null,
            o.DirectTlsPort != 0 ? $"{o.BindAddress}:{o.DirectTlsPort} (direct TLS)" : null,
        }.Where(e => e is not null));
        ServerLog.Started(logger, o.Domain, endpoints, node.Id, string.IsNullOrEmpty(storage.Value.Redis) ? $"embedded ({Path.GetFullPath(o.DataDirectory)})" : "redis");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var session in sessions.All) session.Close(StreamErrorCondition.SystemShutdown, "Server shutting down.");
        return Task.CompletedTask;
    }
}
