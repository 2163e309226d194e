using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Tests;

/// <summary>Collects every log line a server writes ("eventId message exception"), for tests that read the log.</summary>
internal sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Capturing(lines);

    public void Dispose()
    {
    }

    private sealed class Capturing(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{eventId.Id} {formatter(state, exception)} {exception}");
    }
}
