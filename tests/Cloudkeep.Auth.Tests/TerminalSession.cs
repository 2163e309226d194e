using System.Diagnostics;
using System.Text;

namespace Cloudkeep.Auth.Tests;

/// <summary>
/// A program under `script` (a pseudo-terminal), driven like a person at a terminal: wait for text
/// to appear, then type. Reading waits for what the program prints, never for a fixed time.
/// </summary>
internal sealed class TerminalSession : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _transcript = new();
    private readonly Task _reader;
    private readonly SemaphoreSlim _changed = new(0);

    public TerminalSession(Process process)
    {
        _process = process;
        _reader = Task.Run(async () =>
        {
            var buffer = new char[256];
            int read;
            while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
            {
                lock (_transcript)
                {
                    _transcript.Append(buffer, 0, read);
                }

                _changed.Release();
            }

            _changed.Release();
        });
    }

    public string Transcript
    {
        get
        {
            lock (_transcript)
            {
                return _transcript.ToString();
            }
        }
    }

    public async Task<string> WaitForAsync(string text, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!Transcript.Contains(text, StringComparison.Ordinal))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || _reader.IsCompleted && !Transcript.Contains(text, StringComparison.Ordinal))
            {
                throw new TimeoutException($"\"{text}\" did not appear; the terminal shows:\n{Transcript}");
            }

            await _changed.WaitAsync(left);
        }

        return Transcript;
    }

    public async Task TypeAsync(string keys)
    {
        await _process.StandardInput.WriteAsync(keys);
        await _process.StandardInput.FlushAsync();
    }

    public async Task<string> WaitForExitAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        await _reader;
        return Transcript;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        _changed.Dispose();
    }
}
