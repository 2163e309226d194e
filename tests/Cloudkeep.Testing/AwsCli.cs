namespace Cloudkeep.Testing;

/// <summary>
/// The real AWS CLI pointed at a test server, with credentials from the environment only (no
/// user config files), so tests see exactly what a user's `aws --endpoint-url` would.
/// </summary>
public static class AwsCli
{
    public static Task<ProcessRunner.Result> RunAsync(string endpoint, string accessKeyId, string secretAccessKey, params string[] arguments) =>
        RunWithSessionAsync(endpoint, accessKeyId, secretAccessKey, sessionToken: null, arguments);

    /// <summary>
    /// Runs one command. It goes through <see cref="AwsCliZygote"/> (the CLI's own entry point in a child forked
    /// from a Python that has already imported it) unless this machine's python3 cannot import the CLI, or
    /// CLOUDKEEP_TEST_AWS_CLI=process asks for a new `aws` process per command.
    /// </summary>
    public static Task<ProcessRunner.Result> RunWithSessionAsync(string endpoint, string accessKeyId, string secretAccessKey, string? sessionToken, params string[] arguments)
    {
        string[] argv = ["--endpoint-url", endpoint, "--output", "json", .. arguments];
        var environment = Environment(accessKeyId, secretAccessKey, sessionToken);
        return AwsCliZygote.Instance is { } zygote
            ? zygote.RunAsync(argv, environment, TimeSpan.FromSeconds(60))
            : ProcessRunner.RunAsync("aws", argv, environment, TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// Runs a bash script (pipelines as a user would type them) in <paramref name="workingDirectory"/>
    /// with the same environment; the script finds the endpoint in $CLOUDKEEP_ENDPOINT.
    /// </summary>
    public static Task<ProcessRunner.Result> ShellAsync(string endpoint, string accessKeyId, string secretAccessKey, string workingDirectory, string script)
    {
        var environment = Environment(accessKeyId, secretAccessKey, sessionToken: null);
        environment["CLOUDKEEP_ENDPOINT"] = endpoint;
        return ProcessRunner.RunAsync("bash", ["-euo", "pipefail", "-c", $"cd '{workingDirectory}'\n{script}"], environment, TimeSpan.FromSeconds(60));
    }

    private static Dictionary<string, string?> Environment(string accessKeyId, string secretAccessKey, string? sessionToken) =>
        new()
        {
            ["AWS_ACCESS_KEY_ID"] = accessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = secretAccessKey,
            ["AWS_SESSION_TOKEN"] = sessionToken,
            ["AWS_DEFAULT_REGION"] = "eu-west-1",
            ["AWS_REGION"] = null,
            ["AWS_PROFILE"] = null,
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            ["AWS_PAGER"] = "",
            ["AWS_MAX_ATTEMPTS"] = "1",
            ["AWS_RETRY_MODE"] = "standard",
        };
}
