using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// The upload page's multipart path, driven by <see cref="ConsoleScripts.Upload"/> (the one page with a
/// script: a progress bar needs one): CreateMultipartUpload, each part as its own form post
/// (UploadPart, streamed), then CompleteMultipartUpload, or AbortMultipartUpload when a part fails.
/// Each answers JSON for the script; each is an S3 operation run as the person, as every page is.
/// </summary>
internal sealed partial class ConsoleApp
{
    private async Task MultipartCreatePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var input = new JsonObject { ["Bucket"] = form!["bucket"].ToString(), ["Key"] = form["key"].ToString() };
        if (form["contentType"].ToString() is { Length: > 0 } type)
        {
            input["ContentType"] = type;
        }

        var (output, error) = await RunAsync(context, session, "s3", "CreateMultipartUpload", input);
        await JsonAnswerAsync(context, error, new JsonObject { ["uploadId"] = Str(output?["UploadId"]) });
    }

    private async Task MultipartPartPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        if (form!.Files["part"] is not { } part || !long.TryParse(form["partNumber"].ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            await JsonAnswerAsync(context, CommonErrors.MissingParameter.ToException("A part and its number are required."), null);
            return;
        }

        var input = new JsonObject
        {
            ["Bucket"] = form["bucket"].ToString(),
            ["Key"] = form["key"].ToString(),
            ["UploadId"] = form["uploadId"].ToString(),
            ["PartNumber"] = number,
            ["ContentLength"] = part.Length,
        };
        AwsException? error = null;
        JsonObject? output = null;
        try
        {
            await using var content = part.OpenReadStream();
            var result = await operations.RunForResultAsync(context, CallerOf(session), "s3", "UploadPart", input, ConsoleOperations.DefaultRegion, content);
            output = result.Output;
            if (result.Body is { } unused)
            {
                await unused.DisposeAsync();
            }
        }
        catch (AwsException e)
        {
            error = e;
        }

        await JsonAnswerAsync(context, error, new JsonObject { ["etag"] = Str(output?["ETag"]) });
    }

    private async Task MultipartCompletePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var bucket = form!["bucket"].ToString();
        var key = form["key"].ToString();
        var parts = new JsonArray();
        var etags = form["etag"];
        for (var i = 0; i < etags.Count; i++)
        {
            parts.Add(new JsonObject { ["PartNumber"] = (long)(i + 1), ["ETag"] = etags[i] });
        }

        var (_, error) = await RunAsync(context, session, "s3", "CompleteMultipartUpload", new JsonObject
        {
            ["Bucket"] = bucket,
            ["Key"] = key,
            ["UploadId"] = form["uploadId"].ToString(),
            ["MultipartUpload"] = new JsonObject { ["Parts"] = parts },
        });
        await JsonAnswerAsync(context, error, new JsonObject { ["location"] = $"/console/s3/bucket?name={Q(bucket)}&prefix={Q(PrefixOf(key))}" });
    }

    private async Task MultipartAbortPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var (_, error) = await RunAsync(context, session, "s3", "AbortMultipartUpload", new JsonObject
        {
            ["Bucket"] = form!["bucket"].ToString(),
            ["Key"] = form["key"].ToString(),
            ["UploadId"] = form["uploadId"].ToString(),
        });
        await JsonAnswerAsync(context, error, new JsonObject());
    }

    /// <summary>The script's answer: the output, or S3's code and message with S3's status.</summary>
    private static async Task JsonAnswerAsync(HttpContext context, AwsException? error, JsonObject? output)
    {
        context.Response.StatusCode = error is null ? StatusCodes.Status200OK : error.HttpStatus is >= 400 and < 600 ? error.HttpStatus : StatusCodes.Status400BadRequest;
        context.Response.ContentType = "application/json; charset=utf-8";
        var answer = error is null ? output ?? new JsonObject() : new JsonObject { ["code"] = error.Code, ["message"] = error.Message };
        await context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted);
    }
}
