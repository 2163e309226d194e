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

    /// <summary>
    /// A status other than the operation's default, for what the stored object decides (S3: 206 for a
    /// range, 304 when not modified): the model declares no statusCode member for those outputs, and
    /// the defaults (S3's 204s) come from the operation's http.responseCode.
    /// </summary>
    public int? StatusCode { get; init; }

    /// <summary>Response headers outside the output shape (S3: CORS headers on a matched origin).</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? ExtraHeaders { get; init; }
}
