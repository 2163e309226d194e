namespace Cloudkeep.Server.Tests.CloudTrail;

/// <summary>CloudTrail's refusals through the AWS CLI, one row each: the error code AWS answers.</summary>
public sealed class CloudTrailBadInputTests(CloudTrailFixture fixture) : IClassFixture<CloudTrailFixture>
{
    public static TheoryData<string, string[]> Cases => new()
    {
        { "InvalidTrailNameException", ["create-trail", "--name", "a--b", "--s3-bucket-name", "anything"] },
        { "InvalidTrailNameException", ["create-trail", "--name", "192.168.5.4", "--s3-bucket-name", "anything"] },
        { "InvalidTrailNameException", ["get-trail", "--name", "x"] },
        { "CloudTrailARNInvalidException", ["get-trail", "--name", "arn:aws:cloudtrail:eu-west-1:1:trail/x"] },
        { "TrailNotFoundException", ["get-trail", "--name", "no-such-trail"] },
        { "TrailNotFoundException", ["delete-trail", "--name", "no-such-trail"] },
        { "TrailNotFoundException", ["start-logging", "--name", "no-such-trail"] },
        { "TrailNotFoundException", ["get-event-selectors", "--trail-name", "no-such-trail"] },
        { "S3BucketDoesNotExistException", ["create-trail", "--name", "nobucket", "--s3-bucket-name", "no-such-bucket-for-trail"] },
        { "InvalidS3BucketNameException", ["create-trail", "--name", "badbucket", "--s3-bucket-name", "Bad_Bucket"] },
        { "UnsupportedOperationException", ["create-trail", "--name", "withsns", "--s3-bucket-name", "anything", "--sns-topic-name", "t"] },
        { "InvalidParameterCombinationException", ["create-trail", "--name", "noglobal", "--s3-bucket-name", "anything", "--is-multi-region-trail", "--no-include-global-service-events"] },
        { "InvalidLookupAttributesException", ["lookup-events", "--lookup-attributes", "AttributeKey=EventName,AttributeValue=A", "AttributeKey=Username,AttributeValue=B"] },
        { "InvalidTimeRangeException", ["lookup-events", "--start-time", "2026-01-02T00:00:00Z", "--end-time", "2026-01-01T00:00:00Z"] },
        // MaxResults outside the model's 1-50 is refused by the model check, as every Cloudkeep service's constraints are.
        { "ValidationException", ["lookup-events", "--max-results", "51", "--no-paginate"] },
        { "InvalidNextTokenException", ["lookup-events", "--next-token", "not-a-token"] },
        { "ResourceNotFoundException", ["list-tags", "--resource-id-list", "arn:aws:cloudtrail:eu-west-1:111122223333:trail/none"] },
        { "CloudTrailARNInvalidException", ["add-tags", "--resource-id", "just-a-name", "--tags-list", "Key=a,Value=b"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInput_AnswersAwsErrorCode(string code, string[] arguments)
    {
        var error = await fixture.Root.FailAsync(["cloudtrail", .. arguments]);
        Assert.Contains(code, error, StringComparison.Ordinal);
    }
}
