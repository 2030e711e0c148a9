using XmppConf.Server.Options;

namespace XmppConf.Server.Connections;

/// <summary>The per-address limits, read once from Limits and Auth; 0 switches a limit off.</summary>
internal sealed record PeerPolicy(int MaxConnections, int AttemptsPerMinute, int BanThreshold, long BanMilliseconds)
{
    public static PeerPolicy From(LimitsOptions limits, AuthOptions auth) =>
        new(limits.MaxConnectionsPerIp, limits.MaxConnectionAttemptsPerIpPerMinute, auth.FailedAuthBanThreshold, auth.FailedAuthBanSeconds * 1000L);
}

/// <summary>What <see cref="PeerTable.Admit"/> decided for a new connection.</summary>
internal enum Admission
{
    Admitted,
    TooManyConnections,
    TooManyAttempts,
    Banned,
    /// <summary>Limits:MaxConnections reached server-wide (decided by the gate, not per address).</summary>
    ServerFull,
}
