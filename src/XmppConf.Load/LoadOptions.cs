using System.Globalization;

namespace XmppConf.Load;

/// <summary>Command-line options; every switch is "--name value" except the boolean --starttls.</summary>
internal sealed class LoadOptions
{
    public const string Usage = """
        Usage: xmppconf-load --scenario login|idle-connections|muc-fanout|join-storm|register [options]
          --host H (127.0.0.1)  --port P (5222)  --domain D (localhost)  --muc-domain M (conference.D)
          --user-prefix U (user) accounts U0..U(N-1)  --first-user K (0) start at U(K)
          --password PW (pw)  --resource R (load)
          --users N (10)  --rooms R (1)  --rate msgs/s per occupant (1)  --duration s (10)
          --concurrency C (50) parallel logins  --server-pid PID  --starttls
          --source-addresses A,B,... local addresses to connect from, round-robin (e.g. 127.0.0.2,127.0.0.3)
                                when one address runs out of ephemeral ports (~28k per server port)
          muc-fanout rate stepping: --rate-steps 5,10,20 (msgs/s per occupant, --duration each)
            or --step-until-break (doubles from --rate, at most --max-steps 12);
            a step is sustained when loss <= --max-loss (0) and p99 <= --max-p99-ms (5)
          join-storm: --join-timeout s (300) reports how many had joined when not all did
        "idle" is an alias of "idle-connections". "register" creates U0..U(N-1) by in-band
        registration (XEP-0077), for servers that allow it. Prints one JSON line on stdout.
        """;

    public string Scenario { get; private set; } = "login";
    public string Host { get; private set; } = "127.0.0.1";
    public int Port { get; private set; } = 5222;
    public string Domain { get; private set; } = "localhost";
    public string? MucDomainOverride { get; private set; }
    public string MucDomain => MucDomainOverride ?? "conference." + Domain;
    public string UserPrefix { get; private set; } = "user";
    public string Password { get; private set; } = "pw";
    public string Resource { get; private set; } = "load";
    public int Users { get; private set; } = 10;
    public int Rooms { get; private set; } = 1;
    public double Rate { get; private set; } = 1;
    public double Duration { get; private set; } = 10;
    public int Concurrency { get; private set; } = 50;
    public int? ServerPid { get; private set; }
    public int FirstUser { get; private set; }
    public IReadOnlyList<System.Net.IPAddress> SourceAddresses { get; private set; } = [];
    public IReadOnlyList<double> RateSteps { get; private set; } = [];
    public bool StepUntilBreak { get; private set; }
    public int MaxSteps { get; private set; } = 12;
    public double MaxLoss { get; private set; }
    public double MaxP99Ms { get; private set; } = 5;
    public double JoinTimeout { get; private set; } = 300;
    public bool StartTls { get; private set; }

    /// <summary>Null and an error message when the arguments are not understood.</summary>
    public static LoadOptions? Parse(string[] args, out string? error)
    {
        var o = new LoadOptions();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--starttls")
            {
                o.StartTls = true;
                continue;
            }
            if (name == "--step-until-break")
            {
                o.StepUntilBreak = true;
                continue;
            }
            if (i + 1 >= args.Length)
            {
                error = $"Missing value for {name}.";
                return null;
            }
            var v = args[++i];
            var inv = CultureInfo.InvariantCulture;
            switch (name)
            {
                case "--scenario": o.Scenario = v; break;
                case "--host": o.Host = v; break;
                case "--port": o.Port = int.Parse(v, inv); break;
                case "--domain": o.Domain = v; break;
                case "--muc-domain": o.MucDomainOverride = v; break;
                case "--user-prefix": o.UserPrefix = v; break;
                case "--password": o.Password = v; break;
                case "--resource": o.Resource = v; break;
                case "--users": o.Users = int.Parse(v, inv); break;
                case "--rooms": o.Rooms = int.Parse(v, inv); break;
                case "--rate": o.Rate = double.Parse(v, inv); break;
                case "--duration": o.Duration = double.Parse(v, inv); break;
                case "--concurrency": o.Concurrency = int.Parse(v, inv); break;
                case "--server-pid": o.ServerPid = int.Parse(v, inv); break;
                case "--first-user": o.FirstUser = int.Parse(v, inv); break;
                case "--source-addresses": o.SourceAddresses = [.. v.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(System.Net.IPAddress.Parse)]; break;
                case "--rate-steps": o.RateSteps = [.. v.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(x => double.Parse(x, inv))]; break;
                case "--max-steps": o.MaxSteps = int.Parse(v, inv); break;
                case "--max-loss": o.MaxLoss = double.Parse(v, inv); break;
                case "--max-p99-ms": o.MaxP99Ms = double.Parse(v, inv); break;
                case "--join-timeout": o.JoinTimeout = double.Parse(v, inv); break;
                default:
                    error = $"Unknown option {name}.";
                    return null;
            }
        }
        if (o.Users < 1 || o.Rooms < 1 || o.Rate <= 0 || o.Duration <= 0 || o.Concurrency < 1 || o.MaxSteps < 1 || o.FirstUser < 0 || o.JoinTimeout <= 0)
        {
            error = "--users, --rooms, --rate, --duration, --concurrency and --max-steps must be positive.";
            return null;
        }
        if (o.RateSteps.Any(r => r <= 0) || (o.RateSteps.Count > 0 && o.StepUntilBreak))
        {
            error = "--rate-steps must be positive, and cannot be combined with --step-until-break.";
            return null;
        }
        return o;
    }
}
