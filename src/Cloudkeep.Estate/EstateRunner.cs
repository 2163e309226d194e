using Amazon.Runtime;
using Cloudkeep.Client;

namespace Cloudkeep.Estate;

/// <summary>What plan and apply are told on the command line.</summary>
public sealed record EstateArguments(string File, string? Profile, string? EndpointUrl, string? Region, bool AutoApprove)
{
    /// <summary>apply: where created secrets go (default: the estate file's name + ".secrets.yaml").</summary>
    public string? SecretsFile { get; init; }

    /// <summary>apply: deletions (and replacements, which delete first) are allowed.</summary>
    public bool AllowDelete { get; init; }

    /// <summary>export: regions besides the default one whose KMS keys are exported.</summary>
    public IReadOnlyList<string> KeyRegions { get; init; } = [];

    /// <summary>Values for the file's variables (--var NAME=VALUE), overriding its defaults.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// `cloudkeep plan` and `cloudkeep apply`. Exit codes: plan 0 = no changes, 2 = changes; apply 0 =
/// applied (or nothing to do), 2 = applied except changes only a person can make (MFA delete);
/// 1 = the file is not valid, a call failed, or apply was not confirmed.
/// </summary>
public sealed class EstateRunner(TextWriter output, TextWriter error, TextReader input, bool interactive, Func<string?, AWSCredentials> credentials, Func<string, string?> variable, TimeProvider time)
{
    public async Task<int> PlanAsync(EstateArguments args, CancellationToken cancellationToken) =>
        await RunAsync(args, progress: false, async (engine, _) =>
        {
            var plan = await engine.PlanAsync(cancellationToken);
            plan.Write(output);
            return plan.HasChanges ? 2 : 0;
        });

    public async Task<int> ApplyAsync(EstateArguments args, CancellationToken cancellationToken) =>
        await RunAsync(args, progress: true, async (engine, _) =>
        {
            var secrets = engine.Secrets!;
            var plan = await engine.PlanAsync(cancellationToken);
            plan.Write(output);
            if (!plan.HasChanges)
            {
                return 0;
            }

            if (plan.Deletions > 0 && !args.AllowDelete)
            {
                await error.WriteLineAsync($"cloudkeep apply: the plan deletes {plan.Deletions} resource(s) (the '-' and '-/+' lines above) and --allow-delete was not given; nothing was changed. Declare them in the file, or pass --allow-delete.");
                return 1;
            }

            if (!args.AutoApprove)
            {
                if (!interactive)
                {
                    await error.WriteLineAsync("cloudkeep apply: not on a terminal; pass --auto-approve to apply without asking.");
                    return 1;
                }

                await output.WriteAsync("\nApply these changes? Only 'yes' is accepted: ");
                await output.FlushAsync(cancellationToken);
                if ((await input.ReadLineAsync(cancellationToken))?.Trim() != "yes")
                {
                    await error.WriteLineAsync("cloudkeep apply: cancelled, nothing was changed.");
                    return 1;
                }
            }

            output.WriteLine();
            int pending;
            try
            {
                pending = await engine.ApplyAsync(plan, output, cancellationToken);
            }
            finally
            {
                if (secrets.Written > 0)
                {
                    await output.WriteLineAsync($"{secrets.Written} secret(s) written to {secrets.Path} (mode 0600); they are shown nowhere else.");
                }
            }

            if (pending > 0)
            {
                await output.WriteLineAsync($"Apply incomplete: {pending} change(s) marked pending above need a person to run the command shown; plan shows them until then.");
                return 2;
            }

            await output.WriteLineAsync($"Apply complete: {plan.Summary["Plan: ".Length..]}");
            return 0;
        });

    /// <summary>Writes the live estate as an estate file, to <paramref name="outputFile"/> or standard output.</summary>
    public async Task<int> ExportAsync(EstateArguments args, string? outputFile, string managementName, CancellationToken cancellationToken)
    {
        try
        {
            var endpoint = args.EndpointUrl ?? variable("AWS_ENDPOINT_URL");
            var region = args.Region ?? variable("AWS_REGION") ?? variable("AWS_DEFAULT_REGION");
            using var connection = new EstateConnection(credentials(args.Profile), endpoint, region, time, CaBundle.From(variable("AWS_CA_BUNDLE")));
            var text = await new EstateExporter(connection, managementName, args.KeyRegions).ExportAsync(cancellationToken);
            if (outputFile is null)
            {
                await output.WriteAsync(text);
            }
            else
            {
                await File.WriteAllTextAsync(outputFile, text, cancellationToken);
            }

            return 0;
        }
        catch (Exception e) when (e is EstateException or UnreadableAnswerException or IamException or OrganizationsException or CloudTrailException or Route53Exception or SnsException or CloudWatchException or AmazonServiceException or AmazonClientException or HttpRequestException or IOException or InvalidOperationException)
        {
            await error.WriteLineAsync($"cloudkeep export: {e.Message}");
            return 1;
        }
    }

    /// <summary>Decrypts the SOPS-encrypted membership files with `cloudkeep secrets`, using the estate's credentials and endpoint.</summary>
    private async Task<Dictionary<string, string>> DecryptMembershipsAsync(EstateArguments args)
    {
        var decrypted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in EstateParser.MembershipFiles(args.File).Where(File.Exists))
        {
            var text = await File.ReadAllTextAsync(path);
            if (!text.Contains("\nsops:", StringComparison.Ordinal) && !text.StartsWith("sops:", StringComparison.Ordinal))
            {
                continue;
            }

            var environment = new Secrets.Keys.SecretsEnvironment
            {
                GetVariable = name => name == "AWS_ENDPOINT_URL" ? args.EndpointUrl ?? variable(name) : variable(name),
                AwsProfile = args.Profile,
                Credentials = args.Profile is null ? credentials(null) : null,
            };
            using var plain = new MemoryStream();
            using var problems = new StringWriter();
            int exit;
            try
            {
                exit = await new Secrets.SecretsRunner(environment, time, plain, TextReader.Null, problems, Path.GetDirectoryName(path) ?? ".")
                    .DecryptAsync(new Secrets.SecretsArguments { File = path }, CancellationToken.None);
            }
            catch (Secrets.SopsException e)
            {
                throw new EstateException($"cannot decrypt {path}: {e.Message}", e);
            }

            if (exit != 0)
            {
                throw new EstateException($"cannot decrypt {path}: {problems.ToString().Trim()}");
            }

            decrypted[Path.GetFullPath(path)] = System.Text.Encoding.UTF8.GetString(plain.ToArray());
        }

        return decrypted;
    }

    private static SecretsFile Secrets(EstateArguments args) => new(args.SecretsFile ?? args.File + ".secrets.yaml");

    private async Task<int> RunAsync(EstateArguments args, bool progress, Func<EstateEngine, EstateDocument, Task<int>> run)
    {
        try
        {
            var document = EstateParser.ParseFile(args.File, await DecryptMembershipsAsync(args), args.Variables);
            var endpoint = args.EndpointUrl ?? variable("AWS_ENDPOINT_URL");
            var region = args.Region ?? variable("AWS_REGION") ?? variable("AWS_DEFAULT_REGION");
            using var connection = new EstateConnection(credentials(args.Profile), endpoint, region, time, CaBundle.From(variable("AWS_CA_BUNDLE")));
            using var engine = new EstateEngine(document, connection, Secrets(args));
            return await run(engine, document);
        }
        catch (EstateValidationException e)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
        catch (Exception e) when (e is EstateException or UnreadableAnswerException)
        {
            if (progress)
            {
                // Progress may have left a line open ("creating ... "): the error starts its own.
                await output.WriteLineAsync("failed");
            }

            await error.WriteLineAsync($"cloudkeep: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is AmazonClientException or InvalidOperationException)
        {
            await error.WriteLineAsync($"cloudkeep: {e.Message}");
            return 1;
        }
    }
}
