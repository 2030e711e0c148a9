using System.Diagnostics;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Testing;

namespace XmppConf.Scenarios.Tests.Load;

/// <summary>
/// Each xmppconf-load scenario once, at a tiny size, against a real server: the tool is run as
/// the bench scripts run it (a process printing one JSON line), and the line must show a clean
/// run. A smoke test of the tooling only; no figure here is a performance assertion.
/// </summary>
[TestClass]
public sealed class LoadToolSmokeTests
{
    private const string Password = "pw";
    private static readonly string LoadDll = Path.Combine(AppContext.BaseDirectory, "xmppconf-load.dll");

    private static async Task<LoopbackServer> StartServerWithUsersAsync(int users)
    {
        var server = await LoopbackServer.StartAsync(new Dictionary<string, string?>
        {
            ["Tls:RequireStartTls"] = "false",
            ["Tls:AllowPlainWithoutTls"] = "true",
        });
        for (var i = 0; i < users; i++) await server.AddUserAsync("user" + i, Password);
        return server;
    }

    private static async Task<JsonElement> RunToolAsync(LoopbackServer server, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(LoadDll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var a in new[] { "--host", server.Host, "--port", server.C2sPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--domain", server.Domain, "--password", Password, "--server-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var output = (await stdout).Trim();
        Assert.AreEqual(0, process.ExitCode, output + "\n" + await stderr);
        var lines = output.Split('\n');
        Assert.AreEqual(1, lines.Length, "one JSON line expected: " + output);
        var result = JsonDocument.Parse(lines[0]).RootElement.Clone();
        Assert.IsFalse(result.TryGetProperty("error", out var error), error.ToString());
        Assert.IsTrue(result.GetProperty("tool_cpu_s").GetDouble() > 0, "the tool reports its own CPU");
        return result;
    }

    [TestMethod, Timeout(60_000)]
    public async Task Login_FiveUsers_AllLogInAndServerIsSampled()
    {
        await using var server = await StartServerWithUsersAsync(5);

        var r = await RunToolAsync(server, "--scenario", "login", "--users", "5");

        Assert.AreEqual("login", r.GetProperty("scenario").GetString());
        Assert.AreEqual(5, r.GetProperty("users").GetInt32());
        Assert.IsTrue(r.GetProperty("logins_per_s").GetDouble() > 0);
        Assert.IsTrue(r.GetProperty("server_rss_after_kb").GetInt64() > 0, "server figures come from /proc/PID");
    }

    [DataRow("idle-connections")]
    [DataRow("idle")]
    [TestMethod, Timeout(60_000)]
    public async Task IdleConnections_BothNames_HoldEveryConnection(string scenario)
    {
        await using var server = await StartServerWithUsersAsync(4);

        var r = await RunToolAsync(server, "--scenario", scenario, "--users", "4", "--duration", "0.5",
            "--source-addresses", "127.0.0.1,127.0.0.2");

        Assert.AreEqual("idle-connections", r.GetProperty("scenario").GetString());
        Assert.AreEqual(4, r.GetProperty("users").GetInt32());
        Assert.AreEqual(0.5, r.GetProperty("idle_seconds").GetDouble());
    }

    [TestMethod, Timeout(60_000)]
    public async Task MucFanout_TwoRateSteps_NoLossAndEveryStepReported()
    {
        await using var server = await StartServerWithUsersAsync(6);

        // Loose latency bound: this checks the stepping, not the speed of a shared CI machine.
        var r = await RunToolAsync(server, "--scenario", "muc-fanout", "--rooms", "2", "--users", "3",
            "--rate-steps", "2,4", "--duration", "1", "--max-p99-ms", "2000");

        var steps = r.GetProperty("steps").EnumerateArray().ToList();
        Assert.AreEqual(2, steps.Count);
        foreach (var step in steps)
        {
            Assert.AreEqual(0, step.GetProperty("loss").GetDouble(), step.ToString());
            Assert.AreEqual(step.GetProperty("expected_deliveries").GetInt64(), step.GetProperty("delivered").GetInt64());
            Assert.AreEqual(0, step.GetProperty("disconnected").GetInt32());
            Assert.IsTrue(step.GetProperty("sent").GetInt64() > 0);
        }
        Assert.AreEqual(4, r.GetProperty("highest_sustained_rate_per_occupant").GetDouble(), r.ToString());
        Assert.AreEqual(JsonValueKind.Null, r.GetProperty("break_reason").ValueKind);
    }

    [TestMethod, Timeout(60_000)]
    public async Task JoinStorm_SixUsers_AllJoined()
    {
        await using var server = await StartServerWithUsersAsync(6);

        var r = await RunToolAsync(server, "--scenario", "join-storm", "--users", "6");

        Assert.AreEqual(5, r.GetProperty("joiners").GetInt32());
        // Joiner k is announced to everyone already in, and sees everyone already in: at least
        // one self-presence per joiner, and the creator hears every join.
        Assert.IsTrue(r.GetProperty("stanzas_received_total").GetInt64() >= 10, r.ToString());
    }
}
