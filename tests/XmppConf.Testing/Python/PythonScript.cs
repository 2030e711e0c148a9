using System.Diagnostics;
using System.Text;

namespace XmppConf.Testing.Python;

/// <summary>
/// Runs a Python script with Debian's interpreter, which has the python3-slixmpp package; the
/// <c>python3</c> on PATH may be a pyenv build without Debian's modules.
/// </summary>
public sealed class PythonScript
{
    public const string Interpreter = "/usr/bin/python3";

    private static readonly Lazy<bool> s_slixmpp = new(() => ProbeModule("slixmpp"));

    public PythonScript(string scriptPath)
    {
        ScriptPath = scriptPath;
    }

    public string ScriptPath { get; }

    /// <summary>Extra environment variables for the script (null removes one).</summary>
    public IDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>Whether <see cref="Interpreter"/> exists and can import slixmpp; tests should be inconclusive otherwise.</summary>
    public static bool SlixmppAvailable => s_slixmpp.Value;

    /// <summary>Runs the script once with <paramref name="args"/>.</summary>
    /// <exception cref="TimeoutException">The script ran longer than <paramref name="timeout"/>; it was killed, and the message has its output.</exception>
    public async Task<PythonResult> RunAsync(IEnumerable<string> args, TimeSpan timeout, CancellationToken ct = default)
    {
        var info = CreateStartInfo();
        info.ArgumentList.Add(ScriptPath);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (KeyValuePair<string, string?> variable in Environment)
        {
            info.Environment[variable.Key] = variable.Value;
        }

        return await RunAsync(info, timeout, ct).ConfigureAwait(false);
    }

    /// <summary>Shorthand for <c>new PythonScript(scriptPath).RunAsync(args, timeout)</c>.</summary>
    public static Task<PythonResult> RunAsync(string scriptPath, IEnumerable<string> args, TimeSpan timeout, CancellationToken ct = default)
        => new PythonScript(scriptPath).RunAsync(args, timeout, ct);

    private static ProcessStartInfo CreateStartInfo()
    {
        var info = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };

        // Keep pyenv's settings away from the system interpreter, and see output as it happens.
        info.Environment.Remove("PYTHONHOME");
        info.Environment.Remove("PYTHONPATH");
        info.Environment["PYTHONUNBUFFERED"] = "1";
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        return info;
    }

    private static async Task<PythonResult> RunAsync(ProcessStartInfo info, TimeSpan timeout, CancellationToken ct)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close(); // a script reading stdin must not hang the test

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            throw new TimeoutException($"{info.ArgumentList.FirstOrDefault()} ran longer than {timeout} and was killed.\n"
                + new PythonResult(-1, Read(stdout), Read(stderr)));
        }

        return new PythonResult(process.ExitCode, Read(stdout), Read(stderr));
    }

    private static bool ProbeModule(string module)
    {
        if (!File.Exists(Interpreter))
        {
            return false;
        }

        try
        {
            var info = CreateStartInfo();
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add($"import {module}");
            return RunAsync(info, TimeSpan.FromSeconds(30), CancellationToken.None).GetAwaiter().GetResult().Succeeded;
        }
        catch (Exception ex) when (ex is TimeoutException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
