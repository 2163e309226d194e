using System.CommandLine;

namespace Cloudkeep.Cli.Commands;

/// <summary>cloudkeep apply -f estate.yaml: shows the plan, asks, and applies it in dependency order.</summary>
internal static class ApplyCommand
{
    public static Command Create() => EstateCommandLine.Create("apply",
        "Apply an estate file: shows the plan, asks for confirmation on a terminal, then applies it in dependency order. Exit code 0 = applied, 2 = applied except changes only a person can make (the commands are printed), 1 = error.",
        withAutoApprove: true, (runner, args, ct) => runner.ApplyAsync(args, ct));
}
