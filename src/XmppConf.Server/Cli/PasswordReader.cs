namespace XmppConf.Server.Cli;

/// <summary>Reads a password without echo from a terminal, or one line from stdin when it is piped (for scripts).</summary>
internal static class PasswordReader
{
    public static string? Read(string prompt, bool confirm)
    {
        if (Console.IsInputRedirected)
        {
            var line = Console.In.ReadLine();
            return string.IsNullOrEmpty(line) ? null : line;
        }
        var first = Prompt(prompt);
        if (string.IsNullOrEmpty(first)) return null;
        if (confirm && Prompt("Repeat: ") != first)
        {
            Console.Error.WriteLine("Passwords do not match.");
            return null;
        }
        return first;
    }

    private static string Prompt(string prompt)
    {
        Console.Error.Write(prompt);
        var buffer = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (buffer.Length > 0) buffer.Length--;
                continue;
            }
            if (!char.IsControl(key.KeyChar)) buffer.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return buffer.ToString();
    }
}
