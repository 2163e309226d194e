using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Cloudkeep.Auth;

/// <summary>
/// Runs the command with the user's stdin, stdout and stderr, forwards SIGINT, SIGTERM, SIGHUP and
/// SIGQUIT to it while it runs (cloudkeep itself stays up to report its exit), and returns its
/// exit code; a child killed by a signal gives 128 + the signal, as shells report it.
/// </summary>
internal static partial class ChildProcess
{
    public static async Task<int> RunAsync(string command, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo(command) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        // The handlers are in place before the child starts: a signal that arrives in between would
        // otherwise end cloudkeep by default and leave the child running. Such a signal waits for
        // the child and is passed on as soon as it exists.
        var gate = new object();
        Process? started = null;
        var pending = new List<PosixSignal>();
        var registrations = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }
            .Select(signal => PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                lock (gate)
                {
                    if (started is null)
                    {
                        pending.Add(context.Signal);
                    }
                    else
                    {
                        Forward(started, context.Signal);
                    }
                }
            }))
            .ToList();
        try
        {
            Process process;
            try
            {
                process = Process.Start(info) ?? throw new AuthException($"{command}: could not be started.", 126);
            }
            catch (Win32Exception e)
            {
                // 127 for "not found", 126 for "found but cannot run", as shells do.
                const int NoSuchFile = 2;
                throw e.NativeErrorCode == NoSuchFile
                    ? new AuthException($"{command}: command not found", 127)
                    : new AuthException($"{command}: {e.Message}", 126);
            }

            using (process)
            {
                lock (gate)
                {
                    started = process;
                    pending.ForEach(signal => Forward(process, signal));
                }

                await process.WaitForExitAsync();

                // .NET reports a signalled child as 128 + signal number already.
                return process.ExitCode;
            }
        }
        finally
        {
            registrations.ForEach(r => r.Dispose());
        }
    }

    private static void Forward(Process process, PosixSignal signal)
    {
        var number = signal switch
        {
            PosixSignal.SIGINT => 2,
            PosixSignal.SIGTERM => 15,
            PosixSignal.SIGHUP => 1,
            PosixSignal.SIGQUIT => 3,
            _ => 0,
        };
        if (number != 0 && !process.HasExited)
        {
            _ = Kill(process.Id, number);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
