using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Testing;
using XmppConf.Testing.Xmpp;

namespace XmppConf.Scenarios.Tests.Connections;

/// <summary>
/// Limits:MaxConnectionsPerIp and Limits:MaxConnectionAttemptsPerIpPerMinute over real sockets. Every
/// test starts its own server: the limits count everything from 127.0.0.1.
/// </summary>
[TestClass]
public sealed class PerAddressLimitTests
{
    private static readonly XNamespace StreamErrors = "urn:ietf:params:xml:ns:xmpp-streams";

    [TestMethod, Timeout(60_000)]
    public async Task Connections_OneOverTheLimit_PolicyViolationThenAFreedSlotIsReused()
    {
        await using var server = await LoopbackServer.StartAsync(new Dictionary<string, string?> { ["Limits:MaxConnectionsPerIp"] = "50" });
        var open = new List<TestXmppClient>();
        try
        {
            for (var i = 0; i < 50; i++)
            {
                var client = await TestXmppClient.ConnectAsync(server.Host, server.C2sPort, server.Domain);
                open.Add(client);
                // Features prove the server admitted (and counts) this connection before the next one.
                await client.OpenStreamAsync();
            }

            await using (var refused = await TestXmppClient.ConnectAsync(server.Host, server.C2sPort, server.Domain))
            {
                var error = await Assert.ThrowsExceptionAsync<StreamErrorException>(() => refused.OpenStreamAsync());
                Assert.AreEqual("policy-violation", error.Condition);
                StringAssert.Contains(error.Error.Element(StreamErrors + "text")?.Value, "Too many connections");
                Assert.AreEqual(32, ((string?)refused.ServerStreamHeader?.Attribute("id"))?.Length, "a header with a fresh stream id comes first");
                await refused.WaitClosedAsync(TimeSpan.FromSeconds(5));
            }
            // The direct-TLS port is refused too, before any TLS handshake.
            await AssertRefusedBeforeTlsAsync(server);

            // One closes; the server releases its slot once the session has ended.
            await open[0].CloseAsync();
            await open[0].WaitClosedAsync(TimeSpan.FromSeconds(5));
            await open[0].DisposeAsync();
            open.RemoveAt(0);
            var features = await OpenStreamWithRetriesAsync(server);
            Assert.IsNotNull(features, "a fresh connection is accepted once one of the 50 has closed");
        }
        finally
        {
            foreach (var client in open) await client.DisposeAsync();
        }
    }

    [TestMethod, Timeout(60_000)]
    public async Task ServerWide_OneOverMaxConnections_ResourceConstraintFromAnyAddress_ThenASlotIsReused()
    {
        await using var server = await LoopbackServer.StartAsync(new Dictionary<string, string?> { ["Limits:MaxConnections"] = "3" });
        var open = new List<TestXmppClient>();
        try
        {
            // Three different addresses: the per-address limits are not what refuses the fourth.
            for (var i = 0; i < 3; i++)
            {
                var client = await TestXmppClient.ConnectAsync(server.Host, server.C2sPort, server.Domain, localAddress: System.Net.IPAddress.Parse($"127.0.0.{20 + i}"));
                open.Add(client);
                await client.OpenStreamAsync();
            }
            await using (var refused = await TestXmppClient.ConnectAsync(server.Host, server.C2sPort, server.Domain, localAddress: System.Net.IPAddress.Parse("127.0.0.30")))
            {
                var error = await Assert.ThrowsExceptionAsync<StreamErrorException>(() => refused.OpenStreamAsync());
                Assert.AreEqual("resource-constraint", error.Condition);
                StringAssert.Contains(error.Error.Element(StreamErrors + "text")?.Value, "as many connections");
            }
            await open[0].CloseAsync();
            await open[0].WaitClosedAsync(TimeSpan.FromSeconds(5));
            await open[0].DisposeAsync();
            open.RemoveAt(0);
            Assert.IsNotNull(await OpenStreamWithRetriesAsync(server), "a fresh connection is accepted once one of the three has closed");
        }
        finally
        {
            foreach (var client in open) await client.DisposeAsync();
        }
    }

    [TestMethod, Timeout(60_000)]
    public async Task Attempts_OverThePerMinuteRate_PolicyViolation()
    {
        await using var server = await LoopbackServer.StartAsync(new Dictionary<string, string?> { ["Limits:MaxConnectionAttemptsPerIpPerMinute"] = "5" });
        for (var i = 0; i < 5; i++)
        {
            // Each closes before the next: only the rate of new connections is at stake.
            await using var client = await TestXmppClient.ConnectAsync(server.Host, server.C2sPort, server.Domain);
            await client.OpenStreamAsync();
        }

        await using var refused = await TestXmppClient.ConnectAsync(server.Host, server.C2sPort, server.Domain);
        var error = await Assert.ThrowsExceptionAsync<StreamErrorException>(() => refused.OpenStreamAsync());
        Assert.AreEqual("policy-violation", error.Condition);
        StringAssert.Contains(error.Error.Element(StreamErrors + "text")?.Value, "connection attempts");
    }

    private static async Task AssertRefusedBeforeTlsAsync(LoopbackServer server)
    {
        try
        {
            await using var tls = await TestXmppClient.ConnectAsync(server.Host, server.DirectTlsPort, server.Domain, directTls: true);
            await tls.OpenStreamAsync();
            Assert.Fail("a direct-TLS connection over the limit got a stream");
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or System.Net.Sockets.SocketException or XmppTestException)
        {
            // Closed without a handshake, as expected.
        }
    }

    /// <summary>The slot is freed just after the server's close tag goes out; a few quick retries cover that gap.</summary>
    private static async Task<XElement?> OpenStreamWithRetriesAsync(LoopbackServer server)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var client = await TestXmppClient.ConnectAsync(server.Host, server.C2sPort, server.Domain);
            try
            {
                return await client.OpenStreamAsync();
            }
            catch (StreamErrorException)
            {
                await Task.Delay(100);
            }
            finally
            {
                await client.DisposeAsync();
            }
        }
        return null;
    }
}
