using Cloudkeep.Core.Errors;

namespace Cloudkeep.Services.CloudTrail;

/// <summary>CloudTrail's errors (AWS CloudTrail API Reference, each action's "Errors"); all are sender faults with 400.</summary>
public static class CloudTrailErrors
{
    public static readonly AwsError TrailNotFound =
        new("TrailNotFoundException", 400, ErrorFault.Sender, "This exception is thrown when the trail with the given name is not found.");

    public static readonly AwsError TrailAlreadyExists =
        new("TrailAlreadyExistsException", 400, ErrorFault.Sender, "This exception is thrown when the specified trail already exists.");

    public static readonly AwsError InvalidTrailName =
        new("InvalidTrailNameException", 400, ErrorFault.Sender, "This exception is thrown when the provided trail name is not valid.");

    public static readonly AwsError ArnInvalid =
        new("CloudTrailARNInvalidException", 400, ErrorFault.Sender, "This exception is thrown when an operation is called with an ARN that is not valid.");

    public static readonly AwsError S3BucketDoesNotExist =
        new("S3BucketDoesNotExistException", 400, ErrorFault.Sender, "This exception is thrown when the specified S3 bucket does not exist.");

    public static readonly AwsError InsufficientS3BucketPolicy =
        new("InsufficientS3BucketPolicyException", 400, ErrorFault.Sender, "This exception is thrown when the policy on the S3 bucket is not sufficient.");

    public static readonly AwsError InvalidS3BucketName =
        new("InvalidS3BucketNameException", 400, ErrorFault.Sender, "This exception is thrown when the provided S3 bucket name is not valid.");

    public static readonly AwsError InvalidS3Prefix =
        new("InvalidS3PrefixException", 400, ErrorFault.Sender, "This exception is thrown when the provided S3 prefix is not valid.");

    public static readonly AwsError InvalidHomeRegion =
        new("InvalidHomeRegionException", 400, ErrorFault.Sender, "This exception is thrown when an operation is called on a trail from a Region other than the Region in which the trail was created.");

    public static readonly AwsError InvalidLookupAttributes =
        new("InvalidLookupAttributesException", 400, ErrorFault.Sender, "Occurs when a lookup attribute is specified that is not valid.");

    public static readonly AwsError InvalidTimeRange =
        new("InvalidTimeRangeException", 400, ErrorFault.Sender, "Occurs if the timestamp values are not valid. Either the start time occurs after the end time, or the time range is outside the range of possible values.");

    public static readonly AwsError InvalidMaxResults =
        new("InvalidMaxResultsException", 400, ErrorFault.Sender, "This exception is thrown if the limit specified is not valid.");

    public static readonly AwsError InvalidNextToken =
        new("InvalidNextTokenException", 400, ErrorFault.Sender, "A token that is not valid, or a token that was previously used in a request with different parameters.");

    public static readonly AwsError InvalidToken =
        new("InvalidTokenException", 400, ErrorFault.Sender, "Reserved for future use.");

    public static readonly AwsError InvalidEventCategory =
        new("InvalidEventCategoryException", 400, ErrorFault.Sender, "Occurs if an event category that is not valid is specified as a value of EventCategory.");

    public static readonly AwsError InvalidEventSelectors =
        new("InvalidEventSelectorsException", 400, ErrorFault.Sender, "This exception is thrown when the PutEventSelectors operation is called with a number of event selectors, advanced event selectors, or data resources that is not valid.");

    public static readonly AwsError InvalidTagParameter =
        new("InvalidTagParameterException", 400, ErrorFault.Sender, "This exception is thrown when the specified tag key or values are not valid.");

    public static readonly AwsError TagsLimitExceeded =
        new("TagsLimitExceededException", 400, ErrorFault.Sender, "The number of tags per trail has exceeded the permitted amount. Currently, the limit is 50.");

    public static readonly AwsError ResourceNotFound =
        new("ResourceNotFoundException", 400, ErrorFault.Sender, "This exception is thrown when the specified resource is not found.");

    public static readonly AwsError MaximumNumberOfTrailsExceeded =
        new("MaximumNumberOfTrailsExceededException", 400, ErrorFault.Sender, "This exception is thrown when the maximum number of trails is reached.");

    public static readonly AwsError NotOrganizationMasterAccount =
        new("NotOrganizationMasterAccountException", 400, ErrorFault.Sender, "This exception is thrown when the Amazon Web Services account making the request to create or update an organization trail is not the management account for an organization in Organizations.");

    public static readonly AwsError InvalidParameterCombination =
        new("InvalidParameterCombinationException", 400, ErrorFault.Sender, "This exception is thrown when the combination of parameters provided is not valid.");

    public static readonly AwsError UnsupportedOperation =
        new("UnsupportedOperationException", 400, ErrorFault.Sender, "This exception is thrown when the requested operation is not supported.");
}
