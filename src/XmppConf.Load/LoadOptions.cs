using System.Globalization;

namespace XmppConf.Load;

/// <summary>Command-line options; every switch is "--name value" except the boolean --starttls.</summary>
internal sealed class LoadOptions
{
    public const string Usage = """
        Usage: xmppconf-load --scenario login|muc-fanout|join-storm|idle [options]
          --host H (127.0.0.1)  --port P (5222)  --domain D (localhost)  --muc-domain M (conference.D)
          --user-prefix U (user) accounts U0..U(N-1)  --password PW (pw)  --resource R (load)
          --users N (10)  --rooms R (1)  --rate msgs/s per occupant (1)  --duration s (10)
          --concurrency C (50) parallel logins  --server-pid PID  --starttls
        Prints one JSON line on stdout; progress on stderr.
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
                default:
                    error = $"Unknown option {name}.";
                    return null;
            }
        }
        if (o.Users < 1 || o.Rooms < 1 || o.Rate <= 0 || o.Duration <= 0 || o.Concurrency < 1)
        {
            error = "--users, --rooms, --rate, --duration and --concurrency must be positive.";
            return null;
        }
        return o;
    }
}
