using System.Net;

namespace XmppConf.Server.Connections;

/// <summary>
/// The address a peer is counted under. An IPv4 address counts as itself; an IPv6 address as its
/// network prefix (Limits:Ipv6PrefixLength, default /64), because one subscriber usually holds a
/// whole /64 and could otherwise open each connection, and each guess, from a new address.
/// </summary>
internal static class PeerKey
{
    public static IPAddress Of(IPAddress address, int ipv6PrefixLength)
    {
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || ipv6PrefixLength >= 128) return address;
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        var full = ipv6PrefixLength / 8;
        var rest = ipv6PrefixLength % 8;
        if (rest != 0) bytes[full++] &= (byte)(0xFF << (8 - rest));
        bytes[full..].Clear();
        return new IPAddress(bytes);
    }
}
