using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Stanzas;
using XmppConf.Server.Connections;
using XmppConf.Server.Sessions;
using XmppConf.Testing;

namespace XmppConf.Server.Tests.Sessions;

/// <summary>
/// A session over in-memory pipes whose client stops reading: closing it must not wait forever on a
/// writer stuck in a flush, and must cut the connection once the drain time is up.
/// </summary>
[TestClass]
public sealed class ClientSessionDrainTests
{
    private const string Header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>";

    [TestMethod, Timeout(30_000)]
    public async Task Close_WriterStuckOnNonReadingClient_TransportAbortedAfterDrainTimeout()
    {
        await using var server = await LoopbackServer.StartAsync(new Dictionary<string, string?>
        {
            ["Tls:RequireStartTls"] = "false",
            ["Tls:AllowPlainWithoutTls"] = "true",
        });
        await server.AddUserAsync("stuck", "pw");
        var services = server.Services.GetRequiredService<SessionServices>();
        var toServer = new Pipe();
        // A client that reads nothing more: after 1 KiB unread, the server's flush waits.
        var toClient = new Pipe(new PipeOptions(pauseWriterThreshold: 1024, resumeWriterThreshold: 512));
        var connection = new PipeConnection(toServer, toClient);
        await using var transport = new XmppTransport(connection);
        var session = new ClientSession(services, transport);
        var run = session.RunAsync();

        await WriteAsync(toServer, Header);
        await ReadUntilAsync(toClient, "</stream:features>");
        await WriteAsync(toServer, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + Convert.ToBase64String(Encoding.UTF8.GetBytes("\0stuck\0pw")) + "</auth>");
        await ReadUntilAsync(toClient, "<success");
        await WriteAsync(toServer, Header);
        await ReadUntilAsync(toClient, "</stream:features>");
        await WriteAsync(toServer, "<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>r</resource></bind></iq>");
        await ReadUntilAsync(toClient, "</iq>");

        // From here the client reads nothing; messages to itself fill the pipe until the writer's flush blocks.
        var body = new string('x', 1000);
        for (var i = 0; i < 20; i++) await WriteAsync(toServer, $"<message to='stuck@localhost/r' type='chat'><body>{body}</body></message>");
        await Task.Delay(300);
        Assert.IsFalse(connection.Aborted.Task.IsCompleted);

        var clock = Stopwatch.StartNew();
        session.Close(StreamErrorCondition.SystemShutdown, "bye");
        await connection.Aborted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.IsTrue(clock.Elapsed < TimeSpan.FromSeconds(8), $"aborted after {clock.Elapsed}");
        await run.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static async Task WriteAsync(Pipe pipe, string text) => await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));

    private static async Task ReadUntilAsync(Pipe pipe, string marker)
    {
        var seen = new StringBuilder();
        while (true)
        {
            var result = await pipe.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            seen.Append(Encoding.UTF8.GetString(result.Buffer.ToArray()));
            pipe.Reader.AdvanceTo(result.Buffer.End);
            if (seen.ToString().Contains(marker, StringComparison.Ordinal)) return;
            if (result.IsCompleted) Assert.Fail($"The server closed before '{marker}': {seen}");
        }
    }

    /// <summary>A connection over two pipes; Abort ends both directions as a socket transport does.</summary>
    private sealed class PipeConnection(Pipe toServer, Pipe toClient) : ConnectionContext
    {
        public TaskCompletionSource Aborted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override string ConnectionId { get; set; } = "pipes";

        public override IFeatureCollection Features { get; } = new FeatureCollection();

        public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

        public override IDuplexPipe Transport { get; set; } = new DuplexPipe(toServer.Reader, toClient.Writer);

        public override void Abort(ConnectionAbortedException abortReason)
        {
            if (!Aborted.TrySetResult()) return;
            toClient.Reader.Complete();
            toServer.Writer.Complete();
        }
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
