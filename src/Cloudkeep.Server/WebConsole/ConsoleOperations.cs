using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Identity;
using Cloudkeep.Core.Operations;
using Cloudkeep.Server.Hosting;
using Cloudkeep.Server.Observability;
using Cloudkeep.Server.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// Runs an AWS operation in process for a console page, through the steps a wire request takes after
/// decoding: the handler describes what it needs, the one authorizer decides (identity policies,
/// boundaries, SCPs, resource policies, aws:SourceIp from the browser's address), then the handler
/// runs (<see cref="InProcessOperations"/>), with the browser's address, user agent and transport. The
/// console never touches a store itself, so whatever governs the CLI governs the console.
/// Each run is recorded as a CloudTrail event as the record step records a wire request, marked
/// <c>sessionCredentialFromConsole</c> as AWS marks calls the console makes.
/// </summary>
internal sealed class ConsoleOperations(InProcessOperations operations, AuditRecorder audit, CloudkeepOptions options)
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
        var request = Request(context, caller, service, operation, input, region, body);
        AuthorizationTarget? target = null;
        try
        {
            var result = await operations.RunAsync(request, described => target = described, context.RequestAborted);
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

    /// <summary>
    /// Asks the one policy engine whether the caller may do a console-only action (one with no AWS
    /// operation behind it: cloudkeep:ListAlerts, cloudkeep:ListFindings) on a resource; null when
    /// allowed, else the engine's AccessDenied.
    /// </summary>
    public async Task<AwsException?> AuthorizeAsync(HttpContext context, Caller caller, string action, string resource)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(action);
        var colon = action.IndexOf(':', StringComparison.Ordinal);
        var request = Request(context, caller, action[..colon], action[(colon + 1)..], [], DefaultRegion, null);
        try
        {
            await operations.Authorizer.AuthorizeAsync(caller, new AuthorizationTarget(action, [resource]), request, context.RequestAborted);
            return null;
        }
        catch (AwsException e)
        {
            return e;
        }
    }

    private static OperationRequest Request(HttpContext context, Caller caller, string service, string operation, JsonObject input, string region, Stream? body) =>
        InProcessOperations.Request(caller, service, operation, input, region, context.Connection.RemoteIpAddress?.ToString() ?? "",
            context.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null, context.Request.IsHttps, body);
}
