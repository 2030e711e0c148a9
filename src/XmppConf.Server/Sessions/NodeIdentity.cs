using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using XmppConf.Server.Options;

namespace XmppConf.Server.Sessions;

/// <summary>This node's name in shared tables; configured, or made from the host name and a random suffix.</summary>
public sealed class NodeIdentity(IOptions<ServerOptions> server)
{
    public string Id { get; } = server.Value.NodeId ?? Environment.MachineName + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
}
