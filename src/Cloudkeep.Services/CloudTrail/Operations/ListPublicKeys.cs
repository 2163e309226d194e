using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.CloudTrail.Operations;

/// <summary>cloudtrail:ListPublicKeys: the region's digest signing public keys (DER, PKCS#1) valid in StartTime-EndTime (default: now).</summary>
public sealed class ListPublicKeys(CloudTrailContext context) : CloudTrailOperation(context)
{
    public override string Operation => "ListPublicKeys";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Input.OptStr("NextToken") is { Length: > 0 })
        {
            throw CloudTrailErrors.InvalidToken.ToException("The token is not valid.");
        }

        var now = Context.Now;
        var end = Date(request.Input, "EndTime") ?? now;
        var start = Date(request.Input, "StartTime") ?? end;
        if (start > end)
        {
            throw CloudTrailErrors.InvalidTimeRange.ToException("Start time must be before end time.");
        }

        var keys = await Context.Repository.SigningKeysAsync(request.Region, cancellationToken);
        var list = new JsonArray();
        for (var i = 0; i < keys.Count; i++)
        {
            var from = keys[i].ValidFrom;
            DateTimeOffset? until = i + 1 < keys.Count ? keys[i + 1].ValidFrom : null;
            if (from <= end && (until is null || until >= start))
            {
                var key = new JsonObject
                {
                    ["Value"] = JsonValue.Create(Convert.FromBase64String(keys[i].PublicKey)),
                    ["ValidityStartTime"] = from,
                    ["ValidityEndTime"] = until ?? now.AddYears(1),
                    ["Fingerprint"] = keys[i].Fingerprint,
                };
                list.Add(key);
            }
        }

        return new OperationResult(new JsonObject { ["PublicKeyList"] = list });
    }

    private static DateTimeOffset? Date(JsonObject input, string member) =>
        input.TryGetPropertyValue(member, out var node) && node is JsonValue v && v.TryGetValue<DateTimeOffset>(out var at) ? at : null;
}
