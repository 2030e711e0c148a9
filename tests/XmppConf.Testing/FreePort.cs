using System.Net;
using System.Net.Sockets;

namespace XmppConf.Testing;

/// <summary>Free loopback TCP ports for servers started by tests.</summary>
public static class FreePort
{
    /// <summary>
    /// A port the OS just handed out for 127.0.0.1. Another process may take it before the caller
    /// binds it, so launchers retry on a bind failure.
    /// </summary>
    public static int Next()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
