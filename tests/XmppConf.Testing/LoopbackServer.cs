using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using XmppConf.Core.Addressing;
using XmppConf.Server.Accounts;
using XmppConf.Server.Hosting;
using XmppConf.Testing.Xmpp;

namespace XmppConf.Testing;

/// <summary>
/// A real XmppConf server in the test process on free loopback ports, with its own domain, data
/// directory and certificate, configured exactly as an operator would (Section:Key settings).
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, string domain, int c2sPort, int directTlsPort, string directory)
    {
        _app = app;
        Domain = domain;
        C2sPort = c2sPort;
        DirectTlsPort = directTlsPort;
        Directory = directory;
    }

    public string Domain { get; }
    public int C2sPort { get; }
    public int DirectTlsPort { get; }
    public string Directory { get; }
    public string Host => "127.0.0.1";
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// All test traffic comes from 127.0.0.1, so the per-address limits and traffic shaping are raised far
    /// beyond any test's needs (not switched off: the code paths still run). A test of a limit sets it
    /// again in its own settings, which are applied after these.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> UnthrottledLimits = new Dictionary<string, string?>
    {
        ["Limits:MaxConnectionsPerIp"] = "1000000",
        ["Limits:MaxConnectionAttemptsPerIpPerMinute"] = "100000000",
        ["Limits:InboundBytesPerSecond"] = "1073741824",
        ["Limits:InboundBurstBytes"] = "1073741824",
        ["Auth:FailedAuthBanThreshold"] = "1000000",
    };

    /// <param name="configureServices">Extra registrations after the server's own, e.g. a test component.</param>
    public static async Task<LoopbackServer> StartAsync(IDictionary<string, string?>? settings = null, string domain = "localhost", Action<IServiceCollection>? configureServices = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "xmppconf-test-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var c2s = FreePort.Next();
        var direct = FreePort.Next();
        var values = new Dictionary<string, string?>
        {
            ["Server:Domain"] = domain,
            ["Server:BindAddress"] = "127.0.0.1",
            ["Server:C2sPort"] = c2s.ToString(),
            ["Server:DirectTlsPort"] = direct.ToString(),
            ["Server:DataDirectory"] = Path.Combine(directory, "data"),
            ["Tls:SelfSignedPath"] = Path.Combine(directory, "cert.pfx"),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in UnthrottledLimits) values[key] = value;
        if (settings is not null)
        {
            foreach (var (key, value) in settings) values[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var app = XmppConfServer.Build(configuration, configureServices);
        await app.StartAsync().ConfigureAwait(false);
        return new LoopbackServer(app, domain, int.Parse(values["Server:C2sPort"]!), int.Parse(values["Server:DirectTlsPort"]!), directory);
    }

    /// <summary>Creates an account through the same service the CLI uses.</summary>
    public async Task<Jid> AddUserAsync(string localpart, string password)
    {
        var jid = Jid.Create(localpart, Domain);
        var created = await _app.Services.GetRequiredService<AccountService>().CreateAsync(jid, password).ConfigureAwait(false);
        if (!created) throw new InvalidOperationException($"{jid} already exists");
        return jid;
    }

    public Task<TestXmppClient> LoginAsync(string user, string password, string? resource = null) =>
        TestXmppClient.LoginAsync(Host, C2sPort, Domain, user, password, resource);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
