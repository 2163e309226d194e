using System.Text.Json.Nodes;

namespace Cloudkeep.Core.Operations;

/// <summary>A handler's answer: the model-shaped output and, for streaming outputs, the body to send.</summary>
public sealed class OperationResult
{
    public static OperationResult Empty => new(new JsonObject());

    public OperationResult(JsonObject output, Stream? body = null)
    {
        Output = output;
        Body = body;
    }

    public JsonObject Output { get; }

    public Stream? Body { get; }
}
