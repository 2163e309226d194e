using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Identity;
using Cloudkeep.Core.Operations;
using Cloudkeep.Server.Hosting;
using Cloudkeep.Server.Observability;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// Runs an AWS operation in process for a console page, through the steps a wire request takes after
/// decoding: the handler describes what it needs, the one authorizer decides (identity policies,
/// boundaries, SCPs, resource policies, aws:SourceIp from the browser's address), then the handler
/// runs. The console never touches a store itself, so whatever governs the CLI governs the console.
/// Each run is recorded as a CloudTrail event as the record step records a wire request, marked
/// <c>sessionCredentialFromConsole</c> as AWS marks calls the console makes.
/// </summary>
internal sealed class ConsoleOperations(OperationRegistry registry, IRequestAuthorizer authorizer, AuditRecorder audit, CloudkeepOptions options)
{
    public const string DefaultRegion = "us-east-1";

    public async Task<JsonObject> RunAsync(HttpContext context, Caller caller, string service, string operation, JsonObject input, string region = DefaultRegion)
    {
        var result = await RunForResultAsync(context, caller, service, operation, input, region, body: null);
        if (result.Body is { } body)
        {
            await body.DisposeAsync();
        }

        return result.Output;
    }

    /// <summary>
    /// Runs the operation and returns its whole result: a streaming output (S3 GetObject) keeps its
    /// body for the caller to send and dispose; <paramref name="body"/> is a streaming input's payload.
    /// </summary>
    public async Task<OperationResult> RunForResultAsync(HttpContext context, Caller caller, string service, string operation, JsonObject input, string region, Stream? body)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!registry.TryGet(service, operation, out var handler))
        {
            throw new InvalidOperationException($"No handler for {service}:{operation}.");
        }

        var request = new OperationRequest
        {
            Service = service,
            Operation = operation,
            Input = input,
            Caller = caller,
            Region = region,
            RequestId = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
            SourceIp = context.Connection.RemoteIpAddress?.ToString() ?? "",
            UserAgent = context.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null,
            SecureTransport = context.Request.IsHttps,
            Body = body,
        };
        AuthorizationTarget? target = null;
        try
        {
            target = await handler.DescribeAsync(request, context.RequestAborted);
            await authorizer.AuthorizeAsync(caller, target, request, context.RequestAborted);
            var result = await handler.HandleAsync(request, context.RequestAborted);
            await RecordAsync(request, target, result.Output, null);
            return result;
        }
        catch (AwsException error)
        {
            await RecordAsync(request, target, null, error);
            throw;
        }
    }

    private ValueTask RecordAsync(OperationRequest request, AuthorizationTarget? target, JsonObject? output, AwsException? error) =>
        options.AuditRecording
            ? audit.RecordConsoleAsync(request, target?.ResourceAccount, output, error)
            : ValueTask.CompletedTask;

    /// <summary>Runs the operation and returns its output, or the AWS error the engine or the handler gave.</summary>
    public async Task<(JsonObject? Output, AwsException? Error)> TryRunAsync(HttpContext context, Caller caller, string service, string operation, JsonObject input, string region = DefaultRegion)
    {
        try
        {
            return (await RunAsync(context, caller, service, operation, input, region), null);
        }
        catch (AwsException e)
        {
            return (null, e);
        }
    }
}
