namespace XmppConf.Testing.Python;

/// <summary>How a <see cref="PythonScript"/> run ended.</summary>
public sealed record PythonResult(int ExitCode, string StdOut, string StdErr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Exit code and both outputs, for assertion messages.</summary>
    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
}
