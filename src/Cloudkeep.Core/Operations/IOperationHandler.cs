namespace Cloudkeep.Core.Operations;

/// <summary>
/// One AWS operation's domain logic. The pipeline resolves, authenticates, decodes and authorizes
/// before calling <see cref="HandleAsync"/>; a handler never parses wire formats or checks
/// permissions itself.
/// </summary>
public interface IOperationHandler
{
    /// <summary>The service's signing name (sts, iam, s3, kms, organizations).</summary>
    string Service { get; }

    /// <summary>The operation name exactly as in the AWS service model.</summary>
    string Operation { get; }

    /// <summary>
    /// The action, resources, condition keys (and resource policy) this request needs allowed. It
    /// may read the store (a key policy, a bucket policy) but must not change anything.
    /// </summary>
    ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken);

    ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken);
}
