using System.Diagnostics;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Server.Cli;

namespace XmppConf.Server.Tests.Cli;

/// <summary>The real xmppconf binary, driven as a script would drive it (password on stdin).</summary>
[TestClass]
public sealed class UserCommandTests
{
    private static readonly string ServerDll = typeof(CommandLine).Assembly.Location;

    private static Task<(int Code, string Out, string Err)> RunAsync(string dataDir, string? stdin, params string[] args) =>
        RunAsync(dataDir, stdin, new Dictionary<string, string>(), args);

    private static async Task<(int Code, string Out, string Err)> RunAsync(string dataDir, string? stdin, IDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dataDir,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        start.ArgumentList.Add(ServerDll);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.ArgumentList.Add("--Server:DataDirectory=" + Path.Combine(dataDir, "data"));
        using var process = Process.Start(start)!;
        if (stdin is not null) await process.StandardInput.WriteLineAsync(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [TestMethod, Timeout(120_000)]
    public async Task User_AddListPasswdDelete_ThroughTheBinary()
    {
        var dir = Directory.CreateTempSubdirectory("xmppconf-cli-").FullName;
        try
        {
            var add = await RunAsync(dir, "first-pw", "user", "add", "Alice@LocalHost");
            Assert.AreEqual(0, add.Code, add.Err);
            StringAssert.Contains(add.Out, "alice@localhost");

            var duplicate = await RunAsync(dir, "again", "user", "add", "alice");
            Assert.AreEqual(2, duplicate.Code);
            StringAssert.Contains(duplicate.Err, "already exists");

            await RunAsync(dir, "bob-pw", "user", "add", "bob");
            var list = await RunAsync(dir, null, "user", "list");
            Assert.AreEqual("alice@localhost\nbob@localhost", list.Out.Trim().Replace("\r", ""));

            var passwd = await RunAsync(dir, "second-pw", "user", "passwd", "alice@localhost");
            Assert.AreEqual(0, passwd.Code, passwd.Err);

            var delete = await RunAsync(dir, null, "user", "delete", "bob@localhost");
            Assert.AreEqual(0, delete.Code, delete.Err);
            var after = await RunAsync(dir, null, "user", "list");
            Assert.AreEqual("alice@localhost", after.Out.Trim());

            // The database never holds the password itself.
            var db = await File.ReadAllBytesAsync(Path.Combine(dir, "data", "xmppconf.db"));
            Assert.AreEqual(-1, System.Text.Encoding.UTF8.GetString(db).IndexOf("second-pw", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod, Timeout(120_000)]
    public async Task User_AddMany_CreatesNumberedAccountsAndSkipsExistingOnes()
    {
        var dir = Directory.CreateTempSubdirectory("xmppconf-cli-").FullName;
        try
        {
            var first = await RunAsync(dir, "pw", "user", "add-many", "load", "3");
            Assert.AreEqual(0, first.Code, first.Err);
            StringAssert.Contains(first.Out, "Created 3 of 3");

            var again = await RunAsync(dir, "pw", "user", "add-many", "load", "5");
            Assert.AreEqual(0, again.Code, again.Err);
            StringAssert.Contains(again.Out, "Created 2 of 5 accounts (3 existed)");

            var list = await RunAsync(dir, null, "user", "list");
            Assert.AreEqual("load0@localhost\nload1@localhost\nload2@localhost\nload3@localhost\nload4@localhost", list.Out.Trim().Replace("\r", ""));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod, Timeout(120_000)]
    public async Task User_AddManyFromStdin_OneBadLine_CreatesNothing()
    {
        var dir = Directory.CreateTempSubdirectory("xmppconf-cli-").FullName;
        try
        {
            var bad = await RunAsync(dir, "alice a-pw\nbob@example.org b-pw", "user", "add-many");
            Assert.AreEqual(2, bad.Code);
            StringAssert.Contains(bad.Err, "not on this server's domain");
            var none = await RunAsync(dir, null, "user", "list");
            Assert.AreEqual("", none.Out.Trim());

            var good = await RunAsync(dir, "alice a pw with spaces\n\nbob b-pw", "user", "add-many");
            Assert.AreEqual(0, good.Code, good.Err);
            StringAssert.Contains(good.Out, "Created 2 of 2");
            var list = await RunAsync(dir, null, "user", "list");
            Assert.AreEqual("alice@localhost\nbob@localhost", list.Out.Trim().Replace("\r", ""));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod, Timeout(60_000)]
    public async Task User_OtherDomain_Refused()
    {
        var dir = Directory.CreateTempSubdirectory("xmppconf-cli-").FullName;
        try
        {
            var result = await RunAsync(dir, "pw", "user", "add", "mallory@example.org");
            Assert.AreEqual(2, result.Code);
            StringAssert.Contains(result.Err, "not on this server's domain");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod, Timeout(60_000)]
    public async Task Serve_BadSetting_FailsAtStartNamingTheField()
    {
        var dir = Directory.CreateTempSubdirectory("xmppconf-cli-").FullName;
        try
        {
            var result = await RunAsync(dir, null, "serve", "--Server:C2sPort=99999", "--Server:DirectTlsPort=0");
            Assert.AreEqual(2, result.Code, result.Out + result.Err);
            StringAssert.Contains(result.Err, "Server:C2sPort");
            var unknown = await RunAsync(dir, null, "serve", "--Server:Domian=x");
            Assert.AreEqual(2, unknown.Code, unknown.Out + unknown.Err);
            StringAssert.Contains(unknown.Err, "Domian");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod, Timeout(60_000)]
    public async Task User_DomainFromEnvironment_SwitchWinsOverEnvironment()
    {
        var dir = Directory.CreateTempSubdirectory("xmppconf-cli-").FullName;
        try
        {
            var env = new Dictionary<string, string> { ["XMPPCONF_Server__Domain"] = "env.example" };
            var fromEnv = await RunAsync(dir, "pw", env, "user", "add", "zoe");
            Assert.AreEqual(0, fromEnv.Code, fromEnv.Err);
            StringAssert.Contains(fromEnv.Out, "zoe@env.example");
            var fromSwitch = await RunAsync(dir, "pw", env, "user", "add", "yan", "--Server:Domain=switch.example");
            Assert.AreEqual(0, fromSwitch.Code, fromSwitch.Err);
            StringAssert.Contains(fromSwitch.Out, "yan@switch.example");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
