using System.CommandLine;

namespace Cloudkeep.Cli.Commands;

/// <summary>cloudkeep apply -f estate.yaml: shows the plan, asks, and applies it in dependency order.</summary>
internal static class ApplyCommand
{
    public static Command Create() => EstateCommandLine.Create("apply",
        "Apply an estate file: shows the plan, asks for confirmation on a terminal, then applies it in dependency order.",
        withAutoApprove: true, (runner, args, ct) => runner.ApplyAsync(args, ct));
}
