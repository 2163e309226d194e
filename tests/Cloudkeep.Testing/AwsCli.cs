namespace Cloudkeep.Testing;

/// <summary>
/// The real AWS CLI pointed at a test server, with credentials from the environment only (no
/// user config files), so tests see exactly what a user's `aws --endpoint-url` would.
/// </summary>
public static class AwsCli
{
    public static Task<ProcessRunner.Result> RunAsync(string endpoint, string accessKeyId, string secretAccessKey, params string[] arguments) =>
        RunWithSessionAsync(endpoint, accessKeyId, secretAccessKey, sessionToken: null, arguments);

    public static Task<ProcessRunner.Result> RunWithSessionAsync(string endpoint, string accessKeyId, string secretAccessKey, string? sessionToken, params string[] arguments)
    {
        var environment = new Dictionary<string, string?>
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
        return ProcessRunner.RunAsync("aws", ["--endpoint-url", endpoint, "--output", "json", .. arguments], environment, TimeSpan.FromSeconds(60));
    }
}
