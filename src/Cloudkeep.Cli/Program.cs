using System.CommandLine;
using Cloudkeep.Cli.Commands;

var root = new RootCommand("Cloudkeep: a self-hosted, AWS-compatible estate (IAM, STS, Organizations, S3, KMS, ...).");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(PresignCommand.Create());
root.Subcommands.Add(AuthCommand.Create());
root.Subcommands.Add(ConsoleUrlCommand.Create());
root.Subcommands.Add(SecretsCommand.Create());
root.Subcommands.Add(PlanCommand.Create());
root.Subcommands.Add(ApplyCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(AuditCommand.Create());
root.Subcommands.Add(WatchCommand.Create());
root.Subcommands.Add(BackupCommand.Create());
root.Subcommands.Add(AdminCommand.Create());
root.Subcommands.Add(RootResetCommand.Create());
return await root.Parse(args).InvokeAsync();
