using System.Diagnostics;
using System.Text;

namespace Cloudkeep.Backup;

/// <summary>
/// The real PostgreSQL clients as child processes: <c>pg_dump</c> with the seed's flags, <c>psql</c> to restore.
/// Their standard error is kept (its last few kilobytes) for the error message; nothing else is buffered.
/// </summary>
public sealed class PostgresTools(string? binDirectory)
{
    /// <summary>What the seed's task runs: no privileges or owners (the dump restores into any role), and DROP ... IF EXISTS first.</summary>
    public static readonly IReadOnlyList<string> DumpFlags = ["--no-acl", "--no-owner", "--clean", "--if-exists"];

    /// <summary>pg_dump of <paramref name="database"/> to its standard output; <paramref name="extra"/> flags after the seed's (an exported --snapshot).</summary>
    public ChildProcess StartDump(string database, params string[] extra) =>
        ChildProcess.Start(Tool("pg_dump"), [.. DumpFlags, .. extra, "--dbname=" + database], redirectInput: false);

    /// <summary>psql reading SQL from its standard input, stopping at the first error, all in one transaction.</summary>
    public ChildProcess StartRestore(string database) =>
        ChildProcess.Start(Tool("psql"), ["--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction", "--file=-", "--dbname=" + database], redirectInput: true);

    /// <summary>psql running one file (the weekly cleaning script), stopping at its first error, in one transaction.</summary>
    public async Task RunFileAsync(string database, string file, CancellationToken cancellationToken)
    {
        using var psql = ChildProcess.Start(Tool("psql"), ["--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction", "--file=" + file, "--dbname=" + database], redirectInput: false);
        await psql.Output.CopyToAsync(Stream.Null, cancellationToken);
        await psql.WaitForSuccessAsync("psql", cancellationToken);
    }

    private string Tool(string name) => binDirectory is null ? name : Path.Combine(binDirectory, name);
}

/// <summary>A started child process: its standard output (and input, when redirected) as streams, its standard error collected in the background.</summary>
public sealed class ChildProcess : IDisposable
{
    private const int KeptErrorChars = 4096;

    private readonly Process _process;
    private readonly StringBuilder _error = new();
    private readonly Task _errorReader;

    private ChildProcess(Process process)
    {
        _process = process;
        _errorReader = Task.Run(async () =>
        {
            var buffer = new char[1024];
            int read;
            while ((read = await process.StandardError.ReadAsync(buffer)) > 0)
            {
                lock (_error)
                {
                    _error.Append(buffer, 0, read);
                    if (_error.Length > KeptErrorChars)
                    {
                        _error.Remove(0, _error.Length - KeptErrorChars);
                    }
                }
            }
        });
    }

    public Stream Output => _process.StandardOutput.BaseStream;

    public Stream Input => _process.StandardInput.BaseStream;

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, bool redirectInput)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            return new ChildProcess(Process.Start(start) ?? throw new BackupException($"{fileName} did not start"));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BackupException($"{fileName} cannot be run ({e.Message}): install the PostgreSQL client (Debian: postgresql-client)", e);
        }
    }

    public bool ExitedWithin(TimeSpan wait) => _process.WaitForExit(wait);

    /// <summary>Ends the input (psql then commits and exits); a pipe psql already closed is no error here, its exit status tells.</summary>
    public void CloseInput()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Broken pipe: psql has gone.
        }
    }

    /// <summary>Waits for the process to end; a non-zero exit is a <see cref="BackupException"/> quoting its standard error.</summary>
    public async Task WaitForSuccessAsync(string name, CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        await _errorReader;
        if (_process.ExitCode != 0)
        {
            throw new BackupException($"{name} failed (exit {_process.ExitCode}): {Error.Trim()}");
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>Ends the process if it still runs (a failed upload or restore leaves no pg_dump or psql behind).</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        _process.Dispose();
    }
}
