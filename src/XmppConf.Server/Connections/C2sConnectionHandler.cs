using Microsoft.AspNetCore.Connections;
using XmppConf.Server.Sessions;

namespace XmppConf.Server.Connections;

/// <summary>Kestrel hands every accepted client connection (plain or direct TLS) to a new session.</summary>
internal sealed class C2sConnectionHandler(SessionServices services) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        await using var transport = new XmppTransport(connection);
        var session = new ClientSession(services, transport);
        await session.RunAsync().ConfigureAwait(false);
    }
}
