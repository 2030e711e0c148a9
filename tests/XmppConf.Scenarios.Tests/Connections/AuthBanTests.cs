using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Testing;
using XmppConf.Testing.Xmpp;

namespace XmppConf.Scenarios.Tests.Connections;

/// <summary>
/// Auth:FailedAuthBanThreshold / Auth:FailedAuthBanSeconds (ejabberd's mod_fail2ban): failures from
/// one address across streams ban the address, not the account, for a while. A 3-failure, 3-second
/// ban keeps the test short; PLAIN without TLS keeps each attempt cheap.
/// </summary>
[TestClass]
public sealed class AuthBanTests
{
    private const int BanSeconds = 3;
    private static readonly XNamespace StreamErrors = "urn:ietf:params:xml:ns:xmpp-streams";

    [TestMethod, Timeout(60_000)]
    public async Task ProtocolMistakesAcrossStreams_DoNotBanTheAddress()
    {
        await using var server = await LoopbackServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:FailedAuthBanThreshold"] = "3",
            ["Tls:RequireStartTls"] = "false",
            ["Tls:AllowPlainWithoutTls"] = "true",
        });
        await server.AddUserAsync("alice", "right");
        (string Xml, string Condition)[] mistakes =
        [
            ("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='NO-SUCH-MECH'/>", "invalid-mechanism"),
            ("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>not base64!</auth>", "incorrect-encoding"),
            ("<abort xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>", "aborted"),
        ];
        for (var round = 0; round < 2; round++)
        {
            foreach (var mistake in mistakes)
            {
                await using var client = await TestXmppClient.ConnectAsync(server.Host, server.C2sPort, server.Domain);
                await client.OpenStreamAsync();
                await client.SendRawAsync(mistake.Xml);
                var failure = await client.ReceiveAsync(e => e.Name.LocalName == "failure", TimeSpan.FromSeconds(10));
                Assert.AreEqual(mistake.Condition, TestXmppClient.GetErrorCondition(failure));
            }
        }
        // Six protocol mistakes, threshold three: the address is not banned, the right password works.
        await using var ok = await server.LoginAsync("alice", "right");
        Assert.IsNotNull(ok);
    }

    [TestMethod, Timeout(60_000)]
    public async Task FailuresAcrossStreams_AddressBanned_CorrectPasswordRefusedUntilTheBanEnds()
    {
        await using var server = await LoopbackServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:FailedAuthBanThreshold"] = "3",
            ["Auth:FailedAuthBanSeconds"] = BanSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Tls:RequireStartTls"] = "false",
            ["Tls:AllowPlainWithoutTls"] = "true",
        });
        await server.AddUserAsync("alice", "right");
        // Opened before the ban: its later attempt is refused inside the stream.
        await using var early = await TestXmppClient.ConnectAsync(server.Host, server.C2sPort, server.Domain);
        await early.OpenStreamAsync();

        for (var i = 0; i < 3; i++)
        {
            // One failure per stream: the per-stream limit (5) never comes into play.
            await using var guesser = await TestXmppClient.ConnectAsync(server.Host, server.C2sPort, server.Domain);
            await guesser.OpenStreamAsync();
            var failure = await Assert.ThrowsExceptionAsync<SaslFailedException>(() => guesser.AuthenticateAsync("alice", "wrong" + i, "PLAIN"));
            Assert.AreEqual("not-authorized", failure.Condition);
        }
        var bannedAt = Stopwatch.StartNew();

        // A new stream from the banned address is refused at connect, before any password is looked at.
        await using (var refused = await TestXmppClient.ConnectAsync(server.Host, server.C2sPort, server.Domain))
        {
            var error = await Assert.ThrowsExceptionAsync<StreamErrorException>(() => refused.OpenStreamAsync());
            Assert.AreEqual("policy-violation", error.Condition);
            StringAssert.Contains(error.Error.Element(StreamErrors + "text")?.Value, "failed authentication");
        }

        // The stream opened earlier: the right password gets not-authorized with a reason, then the stream ends.
        var inStream = await Assert.ThrowsExceptionAsync<SaslFailedException>(() => early.AuthenticateAsync("alice", "right", "PLAIN"));
        Assert.AreEqual("not-authorized", inStream.Condition);
        StringAssert.Contains(inStream.Text, "failed authentication");
        var closing = await early.ReceiveStreamErrorAsync(TimeSpan.FromSeconds(5));
        Assert.AreEqual("policy-violation", TestXmppClient.GetErrorCondition(closing));

        // The account is not locked: the same password works from another address meanwhile.
        Assert.IsTrue(await PlainLoginFromAsync(IPAddress.Parse("127.0.0.2"), server, "alice", "right"), "another address is not banned");

        // The ban ends after Auth:FailedAuthBanSeconds.
        TestXmppClient? client = null;
        while (client is null && bannedAt.Elapsed < TimeSpan.FromSeconds(BanSeconds + 20))
        {
            try
            {
                client = await server.LoginAsync("alice", "right");
            }
            catch (StreamErrorException)
            {
                await Task.Delay(250);
            }
        }
        Assert.IsNotNull(client, "the ban ended");
        Assert.IsTrue(bannedAt.Elapsed >= TimeSpan.FromSeconds(BanSeconds - 1), $"the ban lasted about {BanSeconds} s, not {bannedAt.Elapsed}");
        await client.DisposeAsync();
    }

    [TestMethod, Timeout(30_000)]
    public async Task FailuresOnOneStream_FifthEndsTheStreamWithPolicyViolation()
    {
        await using var server = await LoopbackServer.StartAsync(new Dictionary<string, string?>
        {
            ["Tls:RequireStartTls"] = "false",
            ["Tls:AllowPlainWithoutTls"] = "true",
        });
        await server.AddUserAsync("alice", "right");
        await using var guesser = await TestXmppClient.ConnectAsync(server.Host, server.C2sPort, server.Domain);
        await guesser.OpenStreamAsync();
        for (var i = 0; i < 5; i++)
        {
            var failure = await Assert.ThrowsExceptionAsync<SaslFailedException>(() => guesser.AuthenticateAsync("alice", "wrong" + i, "PLAIN"));
            Assert.AreEqual("not-authorized", failure.Condition);
        }
        var error = await guesser.ReceiveStreamErrorAsync(TimeSpan.FromSeconds(5));
        Assert.AreEqual("policy-violation", TestXmppClient.GetErrorCondition(error), "Auth:MaxFailuresPerStream (5) reached");
        await guesser.WaitClosedAsync(TimeSpan.FromSeconds(5));
    }

    /// <summary>Raw PLAIN login from a chosen loopback address (all of 127.0.0.0/8 reaches the server on 127.0.0.1).</summary>
    private static async Task<bool> PlainLoginFromAsync(IPAddress local, LoopbackServer server, string user, string password)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(local, 0));
        await socket.ConnectAsync(server.Host, server.C2sPort);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{password}"));
        await stream.WriteAsync(Encoding.UTF8.GetBytes(
            $"<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='{server.Domain}' version='1.0'>" +
            $"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{credentials}</auth>"));
        var seen = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var text = seen.ToString();
            if (text.Contains("<success", StringComparison.Ordinal)) return true;
            if (text.Contains("<failure", StringComparison.Ordinal) || text.Contains("<stream:error", StringComparison.Ordinal)) return false;
            var n = await stream.ReadAsync(buffer, timeout.Token);
            if (n == 0) return false;
            seen.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
    }
}
