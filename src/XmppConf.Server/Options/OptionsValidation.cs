using System.Net;
using Microsoft.Extensions.Options;
using XmppConf.Core.Addressing;

namespace XmppConf.Server.Options;

/// <summary>
/// Start-up validation of every section: a wrong setting fails at start with a message naming the
/// key as it is written in server.config.json, never later in a connection.
/// </summary>
internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions o)
    {
        var errors = new List<string>();
        if (!Jid.TryParse(o.Domain, out var domain) || !domain.IsDomain)
        {
            errors.Add($"Server:Domain: '{o.Domain}' is not a valid XMPP domain.");
        }
        if (string.IsNullOrWhiteSpace(o.DataDirectory)) errors.Add("Server:DataDirectory: must not be empty.");
        if (!IPAddress.TryParse(o.BindAddress, out _)) errors.Add($"Server:BindAddress: '{o.BindAddress}' is not an IP address.");
        OptionChecks.Port(errors, "Server:C2sPort", o.C2sPort);
        OptionChecks.Port(errors, "Server:DirectTlsPort", o.DirectTlsPort);
        if (o.C2sPort == 0 && o.DirectTlsPort == 0) errors.Add("Server:C2sPort / Server:DirectTlsPort: at least one listener must be enabled.");
        if (o.C2sPort != 0 && o.C2sPort == o.DirectTlsPort) errors.Add("Server:DirectTlsPort: must differ from Server:C2sPort.");
        for (var i = 0; i < o.Admins.Count; i++)
        {
            if (!Jid.TryParse(o.Admins[i], out var admin) || !admin.IsBare || admin.Local is null)
            {
                errors.Add($"Server:Admins:{i}: '{o.Admins[i]}' is not a bare user JID.");
            }
        }
        if (o.NodeId is { Length: 0 or > 64 }) errors.Add("Server:NodeId: must be 1 to 64 characters when set.");
        return OptionChecks.Result(errors);
    }
}

internal sealed class TlsOptionsValidator : IValidateOptions<TlsOptions>
{
    public ValidateOptionsResult Validate(string? name, TlsOptions o)
    {
        var errors = new List<string>();
        if (!string.IsNullOrEmpty(o.CertificatePath) && !File.Exists(o.CertificatePath))
        {
            errors.Add($"Tls:CertificatePath: file '{o.CertificatePath}' does not exist.");
        }
        if (string.IsNullOrEmpty(o.CertificatePath) && string.IsNullOrWhiteSpace(o.SelfSignedPath))
        {
            errors.Add("Tls:SelfSignedPath: must be set when Tls:CertificatePath is empty.");
        }
        OptionChecks.Range(errors, "Tls:HandshakeTimeoutSeconds", o.HandshakeTimeoutSeconds, 1, 300);
        return OptionChecks.Result(errors);
    }
}

internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    private static readonly string[] Known = ["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"];

    public ValidateOptionsResult Validate(string? name, AuthOptions o)
    {
        var errors = new List<string>();
        // RFC 7677 §4: at least 4096 iterations.
        OptionChecks.Range(errors, "Auth:ScramIterations", o.ScramIterations, 4096, 10_000_000);
        OptionChecks.Range(errors, "Auth:MaxFailuresPerStream", o.MaxFailuresPerStream, 1, 100);
        OptionChecks.Range(errors, "Auth:FailedAuthBanThreshold", o.FailedAuthBanThreshold, 0, 1_000_000);
        OptionChecks.Range(errors, "Auth:FailedAuthBanSeconds", o.FailedAuthBanSeconds, 1, 30 * 86_400);
        if (o.Mechanisms.Count == 0) errors.Add("Auth:Mechanisms: at least one mechanism is required.");
        for (var i = 0; i < o.Mechanisms.Count; i++)
        {
            if (Array.IndexOf(Known, o.Mechanisms[i]) < 0)
            {
                errors.Add($"Auth:Mechanisms:{i}: '{o.Mechanisms[i]}' is not one of {string.Join(", ", Known)}.");
            }
        }
        return OptionChecks.Result(errors);
    }
}

internal sealed class LimitsOptionsValidator : IValidateOptions<LimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, LimitsOptions o)
    {
        var errors = new List<string>();
        OptionChecks.Range(errors, "Limits:MaxStanzaBytesUnauthenticated", o.MaxStanzaBytesUnauthenticated, 1024, 16 << 20);
        OptionChecks.Range(errors, "Limits:MaxStanzaBytes", o.MaxStanzaBytes, 4096, 64 << 20);
        OptionChecks.Range(errors, "Limits:MaxStanzaDepth", o.MaxStanzaDepth, 4, 10_000);
        OptionChecks.Range(errors, "Limits:MaxStanzaElements", o.MaxStanzaElements, 16, 10_000_000);
        OptionChecks.Range(errors, "Limits:MaxDistinctXmlNames", o.MaxDistinctXmlNames, 0, 1_000_000);
        OptionChecks.Range(errors, "Limits:UnauthenticatedTimeoutSeconds", o.UnauthenticatedTimeoutSeconds, 1, 3600);
        OptionChecks.Range(errors, "Limits:IdleTimeoutSeconds", o.IdleTimeoutSeconds, 1, 86_400);
        OptionChecks.Range(errors, "Limits:PingTimeoutSeconds", o.PingTimeoutSeconds, 1, 3600);
        OptionChecks.Range(errors, "Limits:OutboundQueueBytes", o.OutboundQueueBytes, 16_384, 1 << 30);
        OptionChecks.Range(errors, "Limits:MaxOfflineMessages", o.MaxOfflineMessages, 0, 100_000);
        OptionChecks.Range(errors, "Limits:MaxRosterItems", o.MaxRosterItems, 1, 100_000);
        OptionChecks.Range(errors, "Limits:MaxResourcesPerAccount", o.MaxResourcesPerAccount, 1, 1000);
        OptionChecks.Range(errors, "Limits:MaxConnections", o.MaxConnections, 0, 10_000_000);
        OptionChecks.Range(errors, "Limits:MaxConnectionsPerIp", o.MaxConnectionsPerIp, 0, 10_000_000);
        OptionChecks.Range(errors, "Limits:Ipv6PrefixLength", o.Ipv6PrefixLength, 32, 128);
        OptionChecks.Range(errors, "Limits:MaxConnectionAttemptsPerIpPerMinute", o.MaxConnectionAttemptsPerIpPerMinute, 0, 100_000_000);
        OptionChecks.Range(errors, "Limits:InboundBytesPerSecond", o.InboundBytesPerSecond, 0, 1 << 30);
        OptionChecks.Range(errors, "Limits:InboundBurstBytes", o.InboundBurstBytes, 1024, 1 << 30);
        if (o.OutboundQueueBytes < o.MaxStanzaBytes)
        {
            errors.Add("Limits:OutboundQueueBytes: must be at least Limits:MaxStanzaBytes so one stanza always fits.");
        }
        return OptionChecks.Result(errors);
    }
}

internal sealed class MucOptionsValidator : IValidateOptions<XmppConf.Muc.Service.MucOptions>
{
    public ValidateOptionsResult Validate(string? name, XmppConf.Muc.Service.MucOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Subdomain) || o.Subdomain.Contains('.') || !Jid.TryParse(o.Subdomain + ".example", out _))
        {
            errors.Add($"Muc:Subdomain: '{o.Subdomain}' is not a single DNS label.");
        }
        OptionChecks.Range(errors, "Muc:MaxUsersLimit", o.MaxUsersLimit, 2, 100_000);
        OptionChecks.Range(errors, "Muc:DefaultMaxUsers", o.DefaultMaxUsers, 2, Math.Max(2, o.MaxUsersLimit));
        OptionChecks.Range(errors, "Muc:MaxHistoryLength", o.MaxHistoryLength, 0, 10_000);
        OptionChecks.Range(errors, "Muc:DefaultHistoryLength", o.DefaultHistoryLength, 0, Math.Max(0, o.MaxHistoryLength));
        OptionChecks.Range(errors, "Muc:RoomMailboxCapacity", o.RoomMailboxCapacity, 16, 1_000_000);
        OptionChecks.Range(errors, "Muc:MaxRoomsPerService", o.MaxRoomsPerService, 0, 10_000_000);
        OptionChecks.Range(errors, "Muc:DiscoItemsPageSize", o.DiscoItemsPageSize, 1, 10_000);
        // Room limits: rates 0 = no limit; a burst below 1 would refuse everything.
        OptionChecks.MucRate(errors, "Muc:OccupantMessagesPerSecond", o.OccupantMessagesPerSecond);
        OptionChecks.Range(errors, "Muc:OccupantMessageBurst", o.OccupantMessageBurst, 1, 1_000_000);
        OptionChecks.MucRate(errors, "Muc:OccupantPresencesPerSecond", o.OccupantPresencesPerSecond);
        OptionChecks.Range(errors, "Muc:OccupantPresenceBurst", o.OccupantPresenceBurst, 1, 1_000_000);
        OptionChecks.MucRate(errors, "Muc:RoomMessagesPerSecond", o.RoomMessagesPerSecond);
        OptionChecks.MucRate(errors, "Muc:RoomPresencesPerSecond", o.RoomPresencesPerSecond);
        OptionChecks.Range(errors, "Muc:RoomCreationsPerUserPerHour", o.RoomCreationsPerUserPerHour, 0, 1_000_000);
        OptionChecks.Range(errors, "Muc:MaxRoomsJoinedPerUser", o.MaxRoomsJoinedPerUser, 0, 1_000_000);
        // RFC 7622 §3.4: a nick is a resourcepart, at most 1023 bytes; one code point is at least one byte.
        OptionChecks.Range(errors, "Muc:MaxNickLength", o.MaxNickLength, 1, 1023);
        return OptionChecks.Result(errors);
    }
}

internal static class OptionChecks
{
    public static void Port(List<string> errors, string key, int value)
    {
        if (value is < 0 or > 65535) errors.Add($"{key}: {value} is not a TCP port (0 disables, 1-65535).");
    }

    /// <summary>A per-second rate: finite, 0 (no limit) up to a million.</summary>
    public static void MucRate(List<string> errors, string key, double value)
    {
        if (!(value is >= 0 and <= 1_000_000)) errors.Add($"{key}: {value} must be between 0 (no limit) and 1000000 per second.");
    }

    public static void Range(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max) errors.Add($"{key}: {value} is out of range ({min}-{max}).");
    }

    public static ValidateOptionsResult Result(List<string> errors) =>
        errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
}
