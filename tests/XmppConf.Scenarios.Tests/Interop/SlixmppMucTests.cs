using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Testing;
using XmppConf.Testing.Python;

namespace XmppConf.Scenarios.Tests.Interop;

/// <summary>XEP-0045 end to end with slixmpp's xep_0045 plugin against a real server, one scenario per row.</summary>
[TestClass]
public sealed class SlixmppMucTests
{
    private static LoopbackServer? _server;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _)
    {
        if (!PythonScript.SlixmppAvailable) return;
        _server = await LoopbackServer.StartAsync();
        foreach (var user in new[] { "alice", "bob", "carol", "dave" }) await _server.AddUserAsync(user, "muc-pw");
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    [DataTestMethod, Timeout(60_000)]
    [DataRow("create-configure")]
    [DataRow("destroy")]
    [DataRow("members-only")]
    [DataRow("kick")]
    [DataRow("ban")]
    [DataRow("moderated-voice")]
    [DataRow("invite")]
    [DataRow("password")]
    [DataRow("history")]
    [DataRow("nick-change")]
    [DataRow("private-message")]
    public async Task Slixmpp_MucScenario_Passes(string scenario)
    {
        if (_server is null) Assert.Inconclusive("python3-slixmpp is not installed (.ci/run installs it).");
        var script = Path.Combine(AppContext.BaseDirectory, "Interop", "slixmpp_muc.py");
        var result = await PythonScript.RunAsync(script,
            [_server.Host, _server.C2sPort.ToString(), _server.Domain, "conference." + _server.Domain, "muc-pw", scenario], TimeSpan.FromSeconds(50));
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StdOut, "OK " + scenario);
    }
}
