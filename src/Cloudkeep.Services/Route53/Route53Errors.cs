using Cloudkeep.Core.Errors;

namespace Cloudkeep.Services.Route53;

/// <summary>
/// Route 53's errors (Amazon Route 53 API Reference, "Errors" of each action; statuses from the
/// 2013-04-01 model, 400 where it names none). Messages are AWS's where its documentation or its
/// answers show them.
/// </summary>
public static class Route53Errors
{
    public static readonly AwsError InvalidInput =
        new("InvalidInput", 400, ErrorFault.Sender, "The input is not valid.");

    public static readonly AwsError InvalidDomainName =
        new("InvalidDomainName", 400, ErrorFault.Sender, "The specified domain name is not valid.");

    public static readonly AwsError InvalidChangeBatch =
        new("InvalidChangeBatch", 400, ErrorFault.Sender, "This exception contains a list of messages that might contain one or more error messages.");

    public static readonly AwsError NoSuchHostedZone =
        new("NoSuchHostedZone", 404, ErrorFault.Sender, "No hosted zone exists with the ID that you specified.");

    public static readonly AwsError NoSuchChange =
        new("NoSuchChange", 404, ErrorFault.Sender, "A change with the specified change ID does not exist.");

    public static readonly AwsError NoSuchHealthCheck =
        new("NoSuchHealthCheck", 404, ErrorFault.Sender, "No health check exists with the specified ID.");

    public static readonly AwsError NoSuchDelegationSet =
        new("NoSuchDelegationSet", 400, ErrorFault.Sender, "A reusable delegation set with the specified ID does not exist.");

    public static readonly AwsError HostedZoneNotEmpty =
        new("HostedZoneNotEmpty", 400, ErrorFault.Sender, "The specified hosted zone contains non-required resource record sets and so cannot be deleted.");

    public static readonly AwsError HostedZoneAlreadyExists =
        new("HostedZoneAlreadyExists", 409, ErrorFault.Sender, "A hosted zone has already been created with the specified caller reference.");

    public static readonly AwsError InvalidVpcId =
        new("InvalidVPCId", 400, ErrorFault.Sender, "The VPC ID that you specified either isn't a valid ID or the current account is not authorized to access this VPC.");

    public static readonly AwsError InvalidPaginationToken =
        new("InvalidPaginationToken", 400, ErrorFault.Sender, "The value that you specified to get the second or subsequent page of results is invalid.");

    /// <summary>What Cloudkeep answers for a routing feature it does not serve (alias, geolocation, failover...): the operation exists, the feature does not.</summary>
    public static readonly AwsError NotImplemented = CommonErrors.NotImplemented;

    /// <summary>InvalidChangeBatch lists every problem of the batch in its message, bracketed and comma-separated, as Route 53 does.</summary>
    public static AwsException ChangeBatch(IEnumerable<string> problems) =>
        InvalidChangeBatch.ToException("[" + string.Join(", ", problems) + "]");
}
