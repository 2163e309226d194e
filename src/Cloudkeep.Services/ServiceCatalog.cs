using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Sts.Operations;

namespace Cloudkeep.Services;

/// <summary>Every operation handler the services implement; the server registers exactly these.</summary>
public static class ServiceCatalog
{
    public static IReadOnlyList<IOperationHandler> CreateHandlers() =>
    [
        new GetCallerIdentity(),
    ];
}
