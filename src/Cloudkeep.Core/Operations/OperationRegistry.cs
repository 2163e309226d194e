using System.Collections.Frozen;

namespace Cloudkeep.Core.Operations;

/// <summary>Every operation the server implements, looked up by service and model operation name.</summary>
public sealed class OperationRegistry
{
    private readonly FrozenDictionary<(string Service, string Operation), IOperationHandler> _handlers;

    public OperationRegistry(IEnumerable<IOperationHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var map = new Dictionary<(string, string), IOperationHandler>();
        foreach (var handler in handlers)
        {
            if (!map.TryAdd((handler.Service, handler.Operation), handler))
            {
                throw new InvalidOperationException($"Two handlers for {handler.Service}:{handler.Operation}.");
            }
        }

        _handlers = map.ToFrozenDictionary();
    }

    public IEnumerable<IOperationHandler> All => _handlers.Values;

    public bool TryGet(string service, string operation, out IOperationHandler handler) =>
        _handlers.TryGetValue((service, operation), out handler!);
}
