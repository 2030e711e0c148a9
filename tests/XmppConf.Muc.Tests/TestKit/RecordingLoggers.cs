using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace XmppConf.Muc.Tests.TestKit;

/// <summary>Collects warnings and errors so a harness can fail a test whose room logged a failure.</summary>
internal sealed class RecordingLoggers : ILoggerFactory
{
    public ConcurrentQueue<string> Problems { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLoggers owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Problems.Enqueue($"{category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
