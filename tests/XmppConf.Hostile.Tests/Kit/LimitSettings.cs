using System.Reflection;
using XmppConf.Muc.Service;
using XmppConf.Server.Options;

namespace XmppConf.Hostile.Tests.Kit;

/// <summary>
/// Settings for the limits under attack (per-IP connection limits, fail2ban, traffic shaping, MUC rate limits).
/// Options bind strictly, so a switch naming a key the options types lack (say, after a rename) would stop the
/// server: the kit asks the options types which keys exist and fails the test with the missing names instead.
/// </summary>
internal static class LimitSettings
{
    /// <summary>True when this build binds <paramref name="key"/> ("Section:Name").</summary>
    public static bool Exists(string key)
    {
        var (section, name) = (key[..key.IndexOf(':')], key[(key.IndexOf(':') + 1)..]);
        var type = section switch
        {
            LimitsOptions.Section => typeof(LimitsOptions),
            AuthOptions.Section => typeof(AuthOptions),
            "Muc" => typeof(MucOptions),
            _ => throw new ArgumentException($"No options type for section {section}.", nameof(key)),
        };
        return type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance) is not null;
    }

    /// <summary>
    /// Settings every suite server gets, for those keys this build has: legitimate probes all come from
    /// 127.0.0.1 and must not be throttled by the limits under test (attacks use addresses of their own),
    /// and a 10 MB stanza should hit the stanza limit, not wait for traffic shaping.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> Permissive()
    {
        var wanted = new Dictionary<string, string?>
        {
            ["Limits:MaxConnectionAttemptsPerIpPerMinute"] = "100000",
            ["Limits:InboundBytesPerSecond"] = "1000000000",
            ["Limits:InboundBurstBytes"] = "1000000000",
        };
        return wanted.Where(s => Exists(s.Key));
    }

    /// <summary>
    /// The given settings, or a failure naming the keys the options types lack, so a renamed option fails the
    /// test clearly rather than with a server start-up error.
    /// </summary>
    public static Dictionary<string, string?> Require(string category, Dictionary<string, string?> settings)
    {
        var missing = settings.Keys.Where(k => k.Contains(':', StringComparison.Ordinal) && !k.StartsWith("Server:", StringComparison.Ordinal)
            && !k.StartsWith("Tls:", StringComparison.Ordinal) && !Exists(k)).ToList();
        if (missing.Count > 0)
        {
            throw new AssertFailedException($"[{category}] this build lacks {string.Join(", ", missing)}: renamed or removed options?");
        }
        return settings;
    }
}
