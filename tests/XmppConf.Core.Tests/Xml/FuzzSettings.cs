using System.Globalization;

namespace XmppConf.Core.Tests.Xml;

/// <summary>
/// How long the framer fuzz tests run. CI uses the defaults (a few seconds); a longer hunt sets
/// XMPPCONF_FUZZ_ITERATIONS (iterations per test and seed) and XMPPCONF_FUZZ_SEED (replaces the fixed seeds,
/// e.g. the one a failure printed).
/// </summary>
internal static class FuzzSettings
{
    public const string IterationsVariable = "XMPPCONF_FUZZ_ITERATIONS";
    public const string SeedVariable = "XMPPCONF_FUZZ_SEED";

    public static int Iterations(int ciDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable(IterationsVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : ciDefault;

    public static int Seed(int fixedSeed) =>
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : fixedSeed;
}
