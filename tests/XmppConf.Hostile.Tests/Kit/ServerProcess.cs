using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using XmppConf.Core.Addressing;
using XmppConf.Server.Accounts;
using XmppConf.Server.Hosting;
using XmppConf.Testing;
using XmppConf.Testing.Xmpp;

namespace XmppConf.Hostile.Tests.Kit;

/// <summary>
/// The built server (xmppconf.dll) in a process of its own, configured with --Section:Key switches on a free
/// loopback port and a temporary data directory, so that an attack's cost shows in that process's RSS.
/// </summary>
/// <remarks>
/// The server runs under a small bash watchdog whose stdin is a pipe held by the test host: when the host exits
/// for any reason (even SIGKILL), the pipe reaches EOF and the watchdog kills the server. Dispose kills it at once.
/// </remarks>
public sealed class ServerProcess : IAsyncDisposable
{
    private const string Watchdog = """
        "$@" &
        server=$!
        echo "xmppconf-pid $server"
        # stdin is a pipe held by the test host: EOF means the host is gone, however it died.
        cat > /dev/null
        kill -9 "$server" 2>/dev/null
        """;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _watchdog;
    private readonly OutputTail _output;

    private ServerProcess(Process watchdog, OutputTail output, int pid, int c2sPort, string directory)
    {
        _watchdog = watchdog;
        _output = output;
        Pid = pid;
        C2sPort = c2sPort;
        Directory = directory;
    }

    public int Pid { get; }
    public int C2sPort { get; }
    public string Directory { get; }
    public string Domain => "localhost";
    public string Host => "127.0.0.1";

    /// <summary>The server's last lines of output (warnings and errors), for failure messages.</summary>
    public string RecentOutput => _output.ToString();

    /// <summary>Resident set size of the server process now (VmRSS in /proc/PID/status).</summary>
    public long RssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException($"No VmRSS for process {Pid}.");
    }

    /// <summary>True while the server process is alive.</summary>
    public bool IsRunning => File.Exists($"/proc/{Pid}/status") && !File.ReadAllText($"/proc/{Pid}/status").Contains("State:\tZ", StringComparison.Ordinal);

    /// <param name="settings">Section:Key settings on top of the kit's (domain, port, directories, log level).</param>
    /// <param name="accounts">Accounts written to the store before the server starts (user, password).</param>
    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, IEnumerable<(string User, string Password)> accounts)
    {
        var directory = Path.Combine(Path.GetTempPath(), "xmppconf-hostile-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var port = FreePort.Next();
        var values = new Dictionary<string, string?>
        {
            ["Server:Domain"] = "localhost",
            ["Server:BindAddress"] = "127.0.0.1",
            ["Server:C2sPort"] = port.ToString(CultureInfo.InvariantCulture),
            ["Server:DirectTlsPort"] = "0",
            ["Server:DataDirectory"] = Path.Combine(directory, "data"),
            ["Tls:SelfSignedPath"] = Path.Combine(directory, "cert.pfx"),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        // Legitimate probes all come from 127.0.0.1 and must not be throttled by the limits under test (attacks
        // use addresses of their own), and a 10 MB stanza should hit the stanza limit, not wait for shaping.
        values["Limits:MaxConnectionAttemptsPerIpPerMinute"] = "100000";
        values["Limits:InboundBytesPerSecond"] = "1000000000";
        values["Limits:InboundBurstBytes"] = "1000000000";
        foreach (var (key, value) in settings) values[key] = value;

        await SeedAccountsAsync(values, accounts).ConfigureAwait(false);

        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Watchdog);
        start.ArgumentList.Add("xmppconf-watchdog");
        start.ArgumentList.Add(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "xmppconf.dll"));
        start.ArgumentList.Add("serve");
        foreach (var (key, value) in values) start.ArgumentList.Add($"--{key}={value}");
        // The test host's own DOTNET_ settings (e.g. a diagnostics port) are not the server's business.
        start.Environment.Remove("DOTNET_DiagnosticPorts");

        var output = new OutputTail();
        var pidFound = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var watchdog = new Process { StartInfo = start };
        watchdog.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (e.Data.StartsWith("xmppconf-pid ", StringComparison.Ordinal))
            {
                pidFound.TrySetResult(int.Parse(e.Data["xmppconf-pid ".Length..], CultureInfo.InvariantCulture));
                return;
            }
            output.Add(e.Data);
        };
        watchdog.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Add(e.Data); };
        watchdog.Start();
        watchdog.BeginOutputReadLine();
        watchdog.BeginErrorReadLine();

        var pid = await pidFound.Task.WaitAsync(StartTimeout).ConfigureAwait(false);
        var server = new ServerProcess(watchdog, output, pid, port, directory);
        try
        {
            await server.WaitListeningAsync().ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Logs in with the test client, from <paramref name="localAddress"/> when given (127.0.0.1 otherwise).</summary>
    public Task<TestXmppClient> LoginAsync(string user, string password, string? resource = null, IPAddress? localAddress = null) =>
        TestXmppClient.LoginAsync(Host, C2sPort, Domain, user, password, resource, localAddress: localAddress);

    /// <summary>A TCP connection with the XMPP stream not yet opened.</summary>
    public Task<TestXmppClient> ConnectAsync(IPAddress? localAddress = null) =>
        TestXmppClient.ConnectAsync(Host, C2sPort, Domain, localAddress: localAddress);

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var server = Process.GetProcessById(Pid);
            server.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
        try
        {
            _watchdog.StandardInput.Close();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _watchdog.WaitForExitAsync(patience.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            _watchdog.Kill(entireProcessTree: true);
        }
        _watchdog.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private async Task WaitListeningAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (!IsRunning) throw new InvalidOperationException("The server process exited during start:\n" + RecentOutput);
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, C2sPort).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < StartTimeout)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Writes the accounts with the same service the CLI's "user add" uses, before the server opens the store.</summary>
    private static async Task SeedAccountsAsync(Dictionary<string, string?> values, IEnumerable<(string User, string Password)> accounts)
    {
        // Only the sections the account store reads: other keys may belong to limits this build does not have yet.
        var storeSettings = values.Where(v => v.Key.StartsWith("Server:", StringComparison.Ordinal) || v.Key.StartsWith("Auth:ScramIterations", StringComparison.Ordinal));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(storeSettings).Build();
        await using var provider = new ServiceCollection().AddXmppConfOptions(configuration).AddXmppConfStorage().BuildServiceProvider();
        var service = provider.GetRequiredService<AccountService>();
        foreach (var (user, password) in accounts)
        {
            if (!await service.CreateAsync(Jid.Create(user, "localhost"), password).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"{user} exists already.");
            }
        }
    }

    /// <summary>The last lines the server printed.</summary>
    private sealed class OutputTail
    {
        private const int Lines = 80;
        private readonly Queue<string> _lines = new();

        public void Add(string line)
        {
            lock (_lines)
            {
                _lines.Enqueue(line.Length > 500 ? line[..500] + "…" : line);
                while (_lines.Count > Lines) _lines.Dequeue();
            }
        }

        public override string ToString()
        {
            lock (_lines) return string.Join('\n', _lines);
        }
    }
}
