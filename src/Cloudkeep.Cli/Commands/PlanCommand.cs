using System.CommandLine;

namespace Cloudkeep.Cli.Commands;

/// <summary>cloudkeep plan -f estate.yaml: the difference between an estate file and the live estate.</summary>
internal static class PlanCommand
{
    public static Command Create() => EstateCommandLine.Create("plan",
        "Show what apply would change: + create, ~ update. Exit code 0 = no changes, 2 = changes.",
        withAutoApprove: false, (runner, args, ct) => runner.PlanAsync(args, ct));
}
