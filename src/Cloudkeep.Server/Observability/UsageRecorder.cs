using Cloudkeep.Server.Hosting;
using Cloudkeep.Server.Pipeline;
using Cloudkeep.Services.Billing;
using Cloudkeep.Services.S3;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.Observability;

/// <summary>
/// The record step's usage meter: an answered request counts as its service's usage in the account
/// that pays for it (S3: the bucket's owner, in the bucket's region; the others: the caller's
/// account), and as one CloudTrail event when events are recorded. Counting is an in-memory add;
/// nothing is written on the request path. Requests the server failed (5xx) are not counted.
/// </summary>
internal sealed class UsageRecorder(UsageMeter meter, CloudkeepOptions options)
{
    public void Record(HttpContext context, RequestState state)
    {
        if (!meter.Enabled || state.Service is null || state.Operation is null || context.Response.StatusCode >= 500)
        {
            return;
        }

        var caller = state.Caller;
        var region = state.Region;
        string account;
        if (state.IsS3)
        {
            var bucket = state.Request?.Facts.Find<BucketState>();
            account = bucket?.AccountId ?? state.ResourceAccount ?? (caller.IsAnonymous ? "" : caller.AccountId);
            region = bucket?.Region ?? region;
        }
        else
        {
            account = caller.IsAnonymous ? "" : caller.AccountId;
        }

        if (account.Length == 0)
        {
            return;
        }

        RequestMetering.Count(meter, state.Service.SigningName, state.Operation.Name, context.Request.Method, account, region, context.Response.ContentLength, state.Input);
        if (options.AuditRecording && !caller.IsAnonymous)
        {
            meter.Count(caller.AccountId, state.Region, MeteredUsage.CloudTrailEvents);
        }
    }
}
