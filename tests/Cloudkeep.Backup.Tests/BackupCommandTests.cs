using Cloudkeep.Testing;

namespace Cloudkeep.Backup.Tests;

/// <summary>The built <c>cloudkeep backup</c> as the CI server runs it: credentials and endpoint from the environment, as for the AWS CLI.</summary>
[Collection(BackupEstateTests.Name)]
public sealed class BackupCommandTests(BackupEstate estate)
{
    [Fact]
    public async Task Command_RunListRestore_WithTheCiRolesEnvironment()
    {
        var database = await ShopDatabase.CreateAsync(suppliers: 20);
        var before = await ShopDatabase.FingerprintAsync(database);
        var environment = await EnvironmentAsync();

        var run = await CloudkeepAsync(environment, "backup", "run", "--database", database, "--bucket", BackupEstate.Bucket, "--recipient", estate.PublicKeyFile,
            "--name", "command-{yyyyMMddHHmmss}.sql.gz.gpg", "--verify-with", estate.PrivateKeyFile, "--region", BackupEstate.Region);
        Assert.True(run.ExitCode == 0, run.StandardOutput + run.StandardError);
        Assert.Contains("verified s3://", run.StandardOutput, StringComparison.Ordinal);

        var list = await CloudkeepAsync(environment, "backup", "list", "--bucket", BackupEstate.Bucket, "--prefix", "command-");
        Assert.True(list.ExitCode == 0, list.StandardError);
        var key = list.StandardOutput.Split(' ')[0];
        Assert.StartsWith("command-", key, StringComparison.Ordinal);

        var target = await PostgresServer.CreateDatabaseAsync();
        var restore = await CloudkeepAsync(environment, "backup", "restore", "--bucket", BackupEstate.Bucket, "--object", "latest", "--prefix", "command-", "--into", target, "--private-key", estate.PrivateKeyFile);
        Assert.True(restore.ExitCode == 0, restore.StandardOutput + restore.StandardError);
        Assert.Equal(before, await ShopDatabase.FingerprintAsync(target));
    }

    [Fact]
    public async Task Command_RestoreOfAMissingObject_ExitsOneWithTheReason()
    {
        var restore = await CloudkeepAsync(await EnvironmentAsync(), "backup", "restore", "--bucket", BackupEstate.Bucket, "--object", "no-such.sql.gz.gpg", "--into", "postgres://postgres@127.0.0.1:1/none", "--private-key", estate.PrivateKeyFile);

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("cloudkeep backup: restore of s3://digitalmarketplace-database-backups/no-such.sql.gz.gpg", restore.StandardError, StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, string?>> EnvironmentAsync()
    {
        var credentials = await estate.CiRole.GetCredentialsAsync();
        return new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = credentials.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = credentials.SecretKey,
            ["AWS_SESSION_TOKEN"] = credentials.Token,
            ["AWS_ENDPOINT_URL"] = estate.Server.Endpoint,
            ["AWS_CA_BUNDLE"] = estate.Server.CaFile,
            ["AWS_REGION"] = BackupEstate.Region,
            ["AWS_PROFILE"] = null,
            ["AWS_CONFIG_FILE"] = "/nonexistent",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent",
            ["SOPS_AGE_KEY"] = "AGE-SECRET-KEY-1NJT5YCS2LWU4V4QAJQ6R4JNU7LXPDX602DZ9NUFANVU5GDTGUWCQ5T59M6",
        };
    }

    private static Task<ProcessRunner.Result> CloudkeepAsync(Dictionary<string, string?> environment, params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "cloudkeep.dll"), .. arguments], environment, TimeSpan.FromSeconds(120));
}
