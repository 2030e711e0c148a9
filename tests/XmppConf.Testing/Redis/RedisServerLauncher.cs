using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace XmppConf.Testing.Redis;

/// <summary>
/// A throwaway <c>redis-server</c> on a free loopback port, without persistence, for tests of the
/// Redis adapters and of several nodes sharing one Redis. Killed on dispose (and when the test
/// process exits, so a crashed run leaves no server behind).
/// </summary>
public sealed class RedisServerLauncher : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/redis-server";

    private const int StartAttempts = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    private readonly Process _process;
    private readonly StringBuilder _output;

    static RedisServerLauncher()
    {
        AppDomain.CurrentDomain.ProcessExit += static (_, _) =>
        {
            foreach (Process process in Running.Values)
            {
                TryKill(process);
            }
        };
    }

    private RedisServerLauncher(Process process, int port, StringBuilder output)
    {
        _process = process;
        _output = output;
        Port = port;
    }

    /// <summary>Whether the Debian redis-server binary is installed; tests needing Redis should be inconclusive without it.</summary>
    public static bool IsAvailable => File.Exists(ExecutablePath);

    public int Port { get; }

    /// <summary>"127.0.0.1:port", as StackExchange.Redis expects.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>What redis-server printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts a server and returns once it answers PING.</summary>
    public static async Task<RedisServerLauncher> StartAsync(CancellationToken ct = default)
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException($"{ExecutablePath} is not installed.");
        }

        string failures = string.Empty;
        for (int attempt = 1; attempt <= StartAttempts; attempt++)
        {
            int port = FreePort.Next();
            var output = new StringBuilder();
            Process process = StartProcess(port, output);
            Running[process.Id] = process;
            var launcher = new RedisServerLauncher(process, port, output);
            if (await launcher.WaitForPongAsync(ct).ConfigureAwait(false))
            {
                return launcher;
            }

            // Most likely the port was taken between FreePort.Next and the bind: try another.
            failures += $"attempt {attempt} on port {port}:\n{launcher.Output}\n";
            await launcher.DisposeAsync().ConfigureAwait(false);
        }

        throw new InvalidOperationException($"redis-server did not start:\n{failures}");
    }

    public async ValueTask DisposeAsync()
    {
        Running.TryRemove(_process.Id, out _);
        TryKill(_process);
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    private static Process StartProcess(int port, StringBuilder output)
    {
        var info = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };

        // No RDB snapshots, no AOF: nothing written to disk, nothing left behind.
        foreach (string arg in new[] { "--save", string.Empty, "--appendonly", "no", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private async Task<bool> WaitForPongAsync(CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(StartTimeout);
        while (!deadline.IsCancellationRequested && !_process.HasExited)
        {
            // If our server lost the port race it exits at once; a PONG from whoever holds the port must not count.
            if (await TryPingAsync(deadline.Token).ConfigureAwait(false))
            {
                return !_process.WaitForExit(TimeSpan.FromMilliseconds(100));
            }

            try
            {
                await Task.Delay(50, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        ct.ThrowIfCancellationRequested();
        return false;
    }

    private async Task<bool> TryPingAsync(CancellationToken ct)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port, ct).ConfigureAwait(false);
            NetworkStream stream = client.GetStream();

            // RESP array form of PING; the reply is the simple string +PONG.
            await stream.WriteAsync("*1\r\n$4\r\nPING\r\n"u8.ToArray(), ct).ConfigureAwait(false);
            byte[] reply = new byte[7];
            int read = 0;
            while (read < reply.Length)
            {
                int n = await stream.ReadAsync(reply.AsMemory(read), ct).ConfigureAwait(false);
                if (n == 0)
                {
                    return false;
                }

                read += n;
            }

            return reply.AsSpan().SequenceEqual("+PONG\r\n"u8);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            // Not listening yet (or still loading): the caller polls again.
            return false;
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }
}
