using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:GetObject: the object's bytes and headers (see <see cref="ObjectReads"/>).</summary>
public sealed class HeadObject(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "HeadObject";

    protected override string Action => "s3:GetObject";

    protected override S3Scope Scope => S3Scope.ObjectKey;

    protected override string ActionFor(OperationRequest request) => WhenVersioned(request, "s3:GetObjectVersion");

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken) =>
        await ObjectReads.ReadAsync(S3, request, withBody: false, cancellationToken);
}
