using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cloudkeep.Testing;

/// <summary>
/// One Python process per test run that has imported the AWS CLI and forks a child per command
/// (aws-cli-zygote.py). The command still runs the CLI's own code from its entry point; what is saved is
/// the interpreter's start and the CLI's imports, about three quarters of a short command's CPU, which
/// on a two-core machine was most of the suite's time.
/// </summary>
internal sealed class AwsCliZygote
{
    private static readonly Lazy<AwsCliZygote?> Shared = new(Start);

    private readonly Process process;
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<ProcessRunner.Result>> pending = new();
    private long nextId;

    private AwsCliZygote(Process process)
    {
        this.process = process;
        _ = Task.Run(ReadAnswersAsync);
    }

    /// <summary>The shared zygote, or null when this machine's Python cannot import the CLI (or it is turned off).</summary>
    public static AwsCliZygote? Instance => Shared.Value;

    public async Task<ProcessRunner.Result> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref nextId);
        var answer = new TaskCompletionSource<ProcessRunner.Result>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = answer;
        var env = new JsonObject();
        foreach (var (name, value) in environment)
        {
            env[name] = value;
        }

        var request = new JsonObject
        {
            ["id"] = id,
            ["argv"] = new JsonArray([.. arguments.Select(a => (JsonNode?)JsonValue.Create(a))]),
            ["env"] = env,
            ["timeout"] = (int)Math.Ceiling(timeout.TotalSeconds),
        };
        await writeGate.WaitAsync();
        try
        {
            await process.StandardInput.WriteLineAsync(request.ToJsonString());
            await process.StandardInput.FlushAsync();
        }
        finally
        {
            writeGate.Release();
        }

        // The child ends itself with SIGALRM at the timeout; this is the backstop if the zygote itself is lost.
        return await answer.Task.WaitAsync(timeout + TimeSpan.FromSeconds(30));
    }

    private static AwsCliZygote? Start()
    {
        if (Environment.GetEnvironmentVariable("CLOUDKEEP_TEST_AWS_CLI") == "process")
        {
            return null;
        }

        var script = Path.Combine(AppContext.BaseDirectory, "aws-cli-zygote.py");
        var info = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        Process? process;
        try
        {
            process = Process.Start(info);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        if (process is null)
        {
            return null;
        }

        var first = process.StandardOutput.ReadLine();
        using var hello = first is null ? null : JsonDocument.Parse(first);
        if (hello is null || !hello.RootElement.GetProperty("ready").GetBoolean())
        {
            process.Kill();
            process.Dispose();
            return null;
        }

        return new AwsCliZygote(process);
    }

    private async Task ReadAnswersAsync()
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (!pending.TryRemove(root.GetProperty("id").GetInt64(), out var answer))
            {
                continue;
            }

            if (root.GetProperty("timedOut").GetBoolean())
            {
                answer.SetException(new TimeoutException("aws did not finish in time."));
                continue;
            }

            answer.SetResult(new ProcessRunner.Result(root.GetProperty("exitCode").GetInt32(), root.GetProperty("stdout").GetString()!, root.GetProperty("stderr").GetString()!));
        }

        foreach (var (_, answer) in pending)
        {
            answer.TrySetException(new InvalidOperationException("The AWS CLI zygote ended."));
        }
    }
}
