using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Testing;
using XmppConf.Testing.Xmpp;
using XmppConf.Testing.Python;

namespace XmppConf.Scenarios.Tests.Interop;

/// <summary>A real third-party client (slixmpp) against a real server: login, presence, chat, offline.</summary>
[TestClass]
public sealed class SlixmppInteropTests
{
    [DataTestMethod, Timeout(90_000)]
    [DataRow("SCRAM-SHA-1")]
    [DataRow("SCRAM-SHA-256")]
    public async Task Slixmpp_TwoAccountsOverStartTls_ChatPresenceAndOffline(string mechanism)
    {
        if (!PythonScript.SlixmppAvailable) Assert.Inconclusive("python3-slixmpp is not installed (.ci/run installs it).");
        await using var server = await LoopbackServer.StartAsync();
        foreach (var user in new[] { "alice", "bob", "carol" }) await server.AddUserAsync(user, "interop-pw");
        var script = Path.Combine(AppContext.BaseDirectory, "Interop", "slixmpp_im.py");
        var result = await PythonScript.RunAsync(script, [server.Host, server.C2sPort.ToString(), server.Domain, "interop-pw", mechanism], TimeSpan.FromSeconds(75));
        Assert.AreEqual(0, result.ExitCode, $"stdout:\n{result.StdOut}\nstderr:\n{result.StdErr}");
        StringAssert.Contains(result.StdOut, "OK");
    }
}
