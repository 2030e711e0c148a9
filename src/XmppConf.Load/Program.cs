using System.Text.Json;
using XmppConf.Load;
using XmppConf.Load.Scenarios;

var options = LoadOptions.Parse(args, out var error);
if (options is null || args.Length == 0)
{
    Console.Error.WriteLine(error ?? LoadOptions.Usage);
    if (error is not null) Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

var toolCpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
// Hard bound: setup (logins at a slow 50/s at worst) plus every measured window and its drain, so
// a stuck server cannot hang a script.
var windows = options.RateSteps.Count > 0 ? options.RateSteps.Count : options.StepUntilBreak ? options.MaxSteps : 1;
using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(windows * (options.Duration + 15) + options.Users * options.Rooms / 50.0 + 120
    + (options.Scenario == "join-storm" ? options.JoinTimeout : 0)));
Dictionary<string, object?> result;
try
{
    result = options.Scenario switch
    {
        "login" => await LoginScenario.RunAsync(options, holdIdle: false, cts.Token),
        "idle-connections" or "idle" => await LoginScenario.RunAsync(options, holdIdle: true, cts.Token),
        "register" => await RegisterScenario.RunAsync(options, cts.Token),
        "muc-fanout" => await MucFanoutScenario.RunAsync(options, cts.Token),
        "join-storm" => await JoinStormScenario.RunAsync(options, cts.Token),
        _ => throw new LoadException($"Unknown scenario '{options.Scenario}'."),
    };
}
catch (Exception ex) when (ex is LoadException or IOException or System.Net.Sockets.SocketException or OperationCanceledException)
{
    result = new() { ["scenario"] = options.Scenario, ["error"] = ex.GetType().Name + ": " + ex.Message };
}
var toolCpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - toolCpuBefore;
result["tool_cpu_s"] = Math.Round(toolCpu.TotalSeconds, 3);
// Relaxed escaping keeps quotes in server error texts readable; the line only goes to a terminal or a file.
Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
return result.ContainsKey("error") ? 1 : 0;
