using Amazon.Runtime;
using Cloudkeep.Client;
using Cloudkeep.Testing;

namespace Cloudkeep.Estate.Tests;

/// <summary>Runs plan and apply in-process against a real server, with the root key and a private directory for estate files.</summary>
internal sealed class EstateHarness(TestServer server) : IDisposable
{
    private readonly TempDirectory _directory = new("cloudkeep-estate-test-");
    private AWSCredentials _credentials = new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey);

    public AWSCredentials Credentials => _credentials;

    /// <summary>
    /// Runs the commands as an IAM user with AdministratorAccess instead of root: STS refuses
    /// AssumeRole to root credentials, and member accounts are reached through a role.
    /// </summary>
    public async Task UseAdministratorAsync()
    {
        using var http = Http();
        var iam = new IamClient(http, new Uri(server.Endpoint), _credentials, TimeProvider.System);
        await iam.CallAsync("CreateUser", [new("UserName", "estate-admin")], CancellationToken.None);
        await iam.CallAsync("AttachUserPolicy", [new("UserName", "estate-admin"), new("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess")], CancellationToken.None);
        var key = await iam.CallAsync("CreateAccessKey", [new("UserName", "estate-admin")], CancellationToken.None);
        _credentials = new BasicAWSCredentials(IamClient.Descendant(key, "AccessKeyId"), IamClient.Descendant(key, "SecretAccessKey"));
    }

    /// <summary>An HttpClient for the server: over https, trusting its certificate as AWS_CA_BUNDLE makes the commands do.</summary>
    public HttpClient Http() => CaBundle.From(server.CaFile) is { } bundle ? new HttpClient(bundle.Handler(), disposeHandler: true) : new HttpClient();

    public string Write(string name, string content)
    {
        var path = Path.Combine(_directory.Path, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public Task<(int Exit, string Output, string Error)> PlanAsync(string file, Func<EstateArguments, EstateArguments>? options = null) =>
        RunAsync((runner, args) => runner.PlanAsync(args, CancellationToken.None), file, autoApprove: false, options: options);

    public Task<(int Exit, string Output, string Error)> ApplyAsync(string file, bool autoApprove = true, string stdin = "", bool interactive = false, Func<EstateArguments, EstateArguments>? options = null) =>
        RunAsync((runner, args) => runner.ApplyAsync(args, CancellationToken.None), file, autoApprove, stdin, interactive, options);

    /// <summary>apply --auto-approve --allow-delete.</summary>
    public Task<(int Exit, string Output, string Error)> ApplyDeletingAsync(string file) =>
        ApplyAsync(file, options: args => args with { AllowDelete = true });

    public async Task<(int Exit, string Output, string Error)> ExportAsync(params string[] keyRegions)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Runner(output, error, "", false).ExportAsync(new EstateArguments("", null, null, "eu-west-2", false) { KeyRegions = keyRegions }, null, "main", CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    public void Dispose() => _directory.Dispose();

    private string? Variable(string name) => name switch
    {
        "AWS_ENDPOINT_URL" => server.Endpoint,
        "AWS_CA_BUNDLE" => server.CaFile,
        _ => null,
    };

    private EstateRunner Runner(StringWriter output, StringWriter error, string stdin, bool interactive) =>
        new(output, error, new StringReader(stdin), interactive, _ => _credentials, Variable, TimeProvider.System);

    private async Task<(int Exit, string Output, string Error)> RunAsync(Func<EstateRunner, EstateArguments, Task<int>> verb, string file, bool autoApprove, string stdin = "", bool interactive = false, Func<EstateArguments, EstateArguments>? options = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var runner = new EstateRunner(output, error, new StringReader(stdin), interactive,
            _ => _credentials,
            Variable,
            TimeProvider.System);
        var args = new EstateArguments(file, null, null, "eu-west-2", autoApprove);
        var exit = await verb(runner, options is null ? args : options(args));
        return (exit, output.ToString(), error.ToString());
    }
}
