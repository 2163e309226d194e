using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// A bucket's configuration documents (CORS, lifecycle, replication, default encryption, tags, object
/// ownership), each in a JSON editor holding what <c>aws s3api get-bucket-*</c> prints and
/// <c>put-bucket-*</c> takes, saved and removed through the S3 operations, so S3's own validation
/// messages are the page's.
/// </summary>
internal sealed partial class ConsoleApp
{
    /// <summary>
    /// One document: the form's name for it, its title, its Get/Put/Delete operations, the Put input
    /// member carrying it, for Get operations that answer the document's members themselves (CORSRules,
    /// Rules, TagSet) which ones (otherwise Get's output member holding it is the same as Put's), and
    /// the error Get answers when the bucket has none.
    /// </summary>
    private sealed record BucketDocumentEditor(string Kind, string Title, string Get, string Put, string Delete, string Member, string[]? OutputMembers, string Missing);

    private static readonly BucketDocumentEditor[] BucketDocuments =
    [
        new("cors", "CORS", "GetBucketCors", "PutBucketCors", "DeleteBucketCors", "CORSConfiguration", ["CORSRules"], "NoSuchCORSConfiguration"),
        new("lifecycle", "Lifecycle", "GetBucketLifecycleConfiguration", "PutBucketLifecycleConfiguration", "DeleteBucketLifecycle", "LifecycleConfiguration", ["Rules"], "NoSuchLifecycleConfiguration"),
        new("replication", "Replication", "GetBucketReplication", "PutBucketReplication", "DeleteBucketReplication", "ReplicationConfiguration", null, "ReplicationConfigurationNotFoundError"),
        new("encryption", "Default encryption", "GetBucketEncryption", "PutBucketEncryption", "DeleteBucketEncryption", "ServerSideEncryptionConfiguration", null, "ServerSideEncryptionConfigurationNotFoundError"),
        new("tags", "Tags", "GetBucketTagging", "PutBucketTagging", "DeleteBucketTagging", "Tagging", ["TagSet"], "NoSuchTagSet"),
        new("ownership", "Object ownership", "GetBucketOwnershipControls", "PutBucketOwnershipControls", "DeleteBucketOwnershipControls", "OwnershipControls", null, "OwnershipControlsNotFoundError"),
    ];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>One card per document; <paramref name="draftKind"/>'s editor keeps <paramref name="draft"/> (a refused save).</summary>
    private async Task BucketDocumentCardsAsync(Html body, HttpContext context, ConsoleSession session, string bucket, string token, string? draftKind, string? draft)
    {
        foreach (var editor in BucketDocuments)
        {
            body.Raw("<section class=\"card\" id=\"").Text(editor.Kind).Raw("\"><h2>").Text(editor.Title).Raw("</h2>");
            var (output, error) = await RunAsync(context, session, "s3", editor.Get, new JsonObject { ["Bucket"] = bucket });
            if (error is not null && error.Code != editor.Missing)
            {
                body.Raw(ErrorBlock(error).ToString());
            }

            var document = output is null ? null : DocumentOf(editor, output);
            var text = editor.Kind == draftKind ? draft ?? "" : document?.ToJsonString(Indented) ?? "";
            body.FormStart("/console/s3/settings/document", token, "stack").Hidden("name", bucket).Hidden("kind", editor.Kind)
                .Raw("<label>JSON, as <code>aws s3api ").Text(Cli(editor.Put)).Raw("</code> takes it<textarea name=\"document\" id=\"document-").Text(editor.Kind)
                .Raw("\" rows=\"10\" spellcheck=\"false\">").Text(text).Raw("</textarea></label>")
                .Raw("<div class=\"row\"><button type=\"submit\" name=\"action\" value=\"save\">Save ").Text(editor.Title.ToLowerInvariant())
                .Raw("</button><button type=\"submit\" name=\"action\" value=\"delete\" class=\"secondary\">Remove</button></div>").FormEnd().Raw("</section>");
        }
    }

    private async Task BucketDocumentPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var name = form!["name"].ToString();
        var text = form["document"].ToString();
        if (BucketDocuments.FirstOrDefault(d => d.Kind == form["kind"].ToString()) is not { } editor)
        {
            await BucketSettingsAsync(context, session, name, null, CommonErrors.InvalidParameterValue.ToException("Unknown bucket setting."), null);
            return;
        }

        AwsException? error;
        string notice;
        if (form["action"].ToString() == "delete")
        {
            (_, error) = await RunAsync(context, session, "s3", editor.Delete, new JsonObject { ["Bucket"] = name });
            notice = $"{editor.Title} removed.";
        }
        else
        {
            JsonObject? document;
            try
            {
                document = JsonNode.Parse(text) as JsonObject;
            }
            catch (JsonException)
            {
                document = null;
            }

            (_, error) = document is null
                ? (null, Services.S3.S3Errors.MalformedXml.ToException("The document is not a JSON object: write it as the AWS CLI prints it."))
                : await RunAsync(context, session, "s3", editor.Put, new JsonObject { ["Bucket"] = name, [editor.Member] = document });
            notice = $"{editor.Title} saved.";
        }

        await BucketSettingsAsync(context, session, name, error is null ? null : text, error, error is null ? notice : null, error is null ? null : editor.Kind);
    }

    private static JsonObject? DocumentOf(BucketDocumentEditor editor, JsonObject output)
    {
        if (editor.OutputMembers is null)
        {
            return output[editor.Member]?.DeepClone() as JsonObject;
        }

        var document = new JsonObject();
        foreach (var member in editor.OutputMembers)
        {
            if (output[member] is { } value)
            {
                document[member] = value.DeepClone();
            }
        }

        return document;
    }

    /// <summary>put-bucket-cors for PutBucketCors: the CLI's command name.</summary>
    private static string Cli(string operation) =>
        string.Concat(operation.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
