using System.Text;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:ListBucket, version 2: prefix, delimiter, max-keys, continuation-token, start-after, fetch-owner, encoding-type.</summary>
public sealed class ListObjectsV2(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "ListObjectsV2";

    protected override string Action => "s3:ListBucket";

    protected override Dictionary<string, IReadOnlyList<string>> ConditionKeys(OperationRequest request) =>
        ListingMembers.Add(base.ConditionKeys(request), request);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var prefix = S3Input.String(input, "Prefix") ?? "";
        var delimiter = ListingMembers.Delimiter(input);
        var maxKeys = ListingMembers.MaxKeys(input);
        var url = ListingMembers.UrlEncoding(input);
        var token = S3Input.String(input, "ContinuationToken");
        var startAfter = S3Input.String(input, "StartAfter");
        var after = token is not null ? DecodeToken(token) : startAfter ?? "";
        var page = await S3Listing.ListAsync(S3.Repository, bucket.Name, prefix, delimiter, after, maxKeys, cancellationToken);
        var fetchOwner = S3Input.Boolean(input, "FetchOwner") == true;
        var output = await ListingMembers.OutputAsync(S3, bucket.Name, page, prefix, delimiter, maxKeys, url, fetchOwner, cancellationToken);
        output["KeyCount"] = page.Objects.Count + page.CommonPrefixes.Count;
        if (token is not null)
        {
            output["ContinuationToken"] = token;
        }

        if (startAfter is not null)
        {
            output["StartAfter"] = S3Listing.Encode(startAfter, url);
        }

        if (page.Truncated)
        {
            output["NextContinuationToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(page.NextPosition));
        }

        return new OperationResult(output);
    }

    private static string DecodeToken(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw S3Errors.InvalidArgument.ToException("The continuation token provided is incorrect");
        }
    }
}
