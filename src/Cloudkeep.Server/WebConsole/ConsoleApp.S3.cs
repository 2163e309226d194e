using System.Globalization;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>S3: the buckets of the account worked in, and a bucket browsed by prefix (folders from the "/" delimiter).</summary>
internal sealed partial class ConsoleApp
{
    private async Task BucketsPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var (listed, error) = await RunAsync(context, session, "s3", "ListBuckets", new JsonObject());
        if (error is not null)
        {
            await RenderErrorAsync(context, session, "S3 buckets", error);
            return;
        }

        var body = new Html().Raw("<h1>S3 buckets</h1>");
        var buckets = (listed!["Buckets"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (buckets.Count == 0)
        {
            body.Raw("<p>This account has no buckets.</p>");
        }
        else
        {
            body.Raw("<table id=\"buckets\"><thead><tr><th>Name</th><th>Region</th><th>Created</th></tr></thead><tbody>");
            foreach (var bucket in buckets)
            {
                var name = bucket["Name"]?.GetValue<string>() ?? "";
                body.Raw("<tr><td>").Link("/console/s3/bucket?name=" + Uri.EscapeDataString(name), name).Raw("</td>")
                    .El("td", bucket["BucketRegion"]?.GetValue<string>()).El("td", Date(bucket["CreationDate"])).Raw("</tr>");
            }

            body.Raw("</tbody></table>");
        }

        await RenderAsync(context, StatusCodes.Status200OK, "S3 buckets", body, session);
    }

    private Task BucketPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form) =>
        BucketAsync(context, session, context.Request.Query["name"].ToString(), context.Request.Query["prefix"].ToString(), null, null);

    private async Task BucketAsync(HttpContext context, ConsoleSession session, string name, string prefix, string? notice, Core.Errors.AwsException? actionError)
    {
        var input = new JsonObject { ["Bucket"] = name, ["Delimiter"] = "/", ["MaxKeys"] = 1000L };
        if (prefix.Length > 0)
        {
            input["Prefix"] = prefix;
        }

        if (context.Request.Query["after"].ToString() is { Length: > 0 } continuation)
        {
            input["ContinuationToken"] = continuation;
        }

        var (listed, error) = await RunAsync(context, session, "s3", "ListObjectsV2", input);
        if (error is not null)
        {
            await RenderErrorAsync(context, session, name, error);
            return;
        }

        var body = new Html().Raw("<h1>").Text(name).Raw("</h1>").Notice(notice);
        if (actionError is not null)
        {
            body.Raw(ErrorBlock(actionError).ToString());
        }

        body.Raw("<p class=\"crumbs\">").Link("/console/s3", "Buckets").Raw(" / ")
            .Link("/console/s3/bucket?name=" + Uri.EscapeDataString(name), name);
        var walked = "";
        foreach (var part in prefix.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            walked += part + "/";
            body.Raw(" / ").Link($"/console/s3/bucket?name={Uri.EscapeDataString(name)}&prefix={Uri.EscapeDataString(walked)}", part);
        }

        var token = Token(context);
        body.Raw(" · ").Link("/console/s3/settings?name=" + Uri.EscapeDataString(name), "Bucket settings");
        body.Raw("</p><table id=\"objects\"><thead><tr><th>Name</th><th>Size</th><th>Last modified</th><th></th></tr></thead><tbody>");
        foreach (var folder in (listed!["CommonPrefixes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var p = folder["Prefix"]?.GetValue<string>() ?? "";
            body.Raw("<tr><td>").Link($"/console/s3/bucket?name={Uri.EscapeDataString(name)}&prefix={Uri.EscapeDataString(p)}", p[prefix.Length..], "folder").Raw("</td><td></td><td></td><td></td></tr>");
        }

        foreach (var item in (listed["Contents"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = item["Key"]?.GetValue<string>() ?? "";
            var size = item["Size"] is JsonValue s && s.TryGetValue<long>(out var bytes) ? bytes.ToString("N0", CultureInfo.InvariantCulture) + " B" : "";
            var where = $"bucket={Uri.EscapeDataString(name)}&key={Uri.EscapeDataString(key)}";
            body.Raw("<tr><td>").Link("/console/s3/object?" + where, key[Math.Min(prefix.Length, key.Length)..]).Raw("</td>").El("td", size).El("td", Date(item["LastModified"]))
                .Raw("<td class=\"actions\">").Link("/console/s3/download?" + where, "Download").Raw(" ")
                .FormStart("/console/s3/delete", token, "inline").Hidden("bucket", name).Hidden("key", key).Button("Delete", cssClass: "danger").FormEnd().Raw("</td></tr>");
        }

        body.Raw("</tbody></table>");
        if (listed["NextContinuationToken"]?.GetValue<string>() is { } next)
        {
            body.Raw("<p>").Link($"/console/s3/bucket?name={Uri.EscapeDataString(name)}&prefix={Uri.EscapeDataString(prefix)}&after={Uri.EscapeDataString(next)}", "Next page").Raw("</p>");
        }

        body.Raw("<section class=\"card\" id=\"upload\"><h2>Upload</h2>").FormStart("/console/s3/upload", token, "stack", multipart: true).Hidden("bucket", name).Hidden("prefix", prefix)
            .Raw("<label>File<input type=\"file\" name=\"file\" id=\"file\" required></label>").Button("Upload").FormEnd()
            .Raw("<progress id=\"upload-progress\" hidden></progress><p id=\"upload-status\" role=\"status\"></p>")
            .Raw("<p class=\"hint\">To ").Text(name + "/" + prefix).Raw(": files over 8 MiB go up as a multipart upload in 8 MiB parts with a progress bar; smaller ones (or any file with scripts off) as one PutObject.</p></section>")
            .Raw("<script src=\"/console/static/upload.js\"></script>");
        await RenderAsync(context, actionError is null ? StatusCodes.Status200OK : actionError.HttpStatus is >= 400 and < 600 ? actionError.HttpStatus : StatusCodes.Status400BadRequest, name, body, session);
    }

    private static string PrefixOf(string key) => key.LastIndexOf('/') is var slash and >= 0 ? key[..(slash + 1)] : "";

    /// <summary>An object's details: HeadObject, its tags and, in a versioned bucket, its versions.</summary>
    private async Task ObjectPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var bucket = context.Request.Query["bucket"].ToString();
        var key = context.Request.Query["key"].ToString();
        var (head, error) = await RunAsync(context, session, "s3", "HeadObject", new JsonObject { ["Bucket"] = bucket, ["Key"] = key });
        if (error is not null)
        {
            await RenderErrorAsync(context, session, key, error);
            return;
        }

        var where = $"bucket={Uri.EscapeDataString(bucket)}&key={Uri.EscapeDataString(key)}";
        var body = new Html().Raw("<h1>").Text(key).Raw("</h1><p class=\"crumbs\">").Link("/console/s3/bucket?name=" + Uri.EscapeDataString(bucket) + "&prefix=" + Uri.EscapeDataString(PrefixOf(key)), bucket)
            .Raw("</p><dl class=\"facts\" id=\"object\">");
        foreach (var member in new[] { "ContentLength", "ContentType", "ETag", "VersionId", "ServerSideEncryption", "StorageClass" })
        {
            if (head![member] is { } value)
            {
                body.El("dt", member).El("dd", value.ToString());
            }
        }

        body.El("dt", "LastModified").El("dd", Date(head!["LastModified"]));
        foreach (var (name, value) in head["Metadata"] as JsonObject ?? [])
        {
            body.El("dt", "x-amz-meta-" + name).El("dd", value?.ToString());
        }

        body.Raw("</dl>");
        var (tags, _) = await RunAsync(context, session, "s3", "GetObjectTagging", new JsonObject { ["Bucket"] = bucket, ["Key"] = key });
        if ((tags?["TagSet"] as JsonArray ?? []).OfType<JsonObject>().ToList() is { Count: > 0 } tagSet)
        {
            body.Raw("<h2>Tags</h2><table><tbody>");
            foreach (var tag in tagSet)
            {
                body.Raw("<tr>").El("td", tag["Key"]?.ToString()).El("td", tag["Value"]?.ToString()).Raw("</tr>");
            }

            body.Raw("</tbody></table>");
        }

        var (versions, _) = await RunAsync(context, session, "s3", "ListObjectVersions", new JsonObject { ["Bucket"] = bucket, ["Prefix"] = key });
        var mine = (versions?["Versions"] as JsonArray ?? []).OfType<JsonObject>().Where(v => v["Key"]?.ToString() == key).ToList();
        if (mine.Count > 1 || mine.Any(v => v["VersionId"]?.ToString() is { } id && id != "null"))
        {
            body.Raw("<h2>Versions</h2><table id=\"versions\"><thead><tr><th>Version</th><th>Size</th><th>Last modified</th><th>Latest</th></tr></thead><tbody>");
            foreach (var version in mine)
            {
                body.Raw("<tr>").El("td", version["VersionId"]?.ToString(), "mono").El("td", version["Size"]?.ToString()).El("td", Date(version["LastModified"])).El("td", version["IsLatest"]?.ToString()).Raw("</tr>");
            }

            body.Raw("</tbody></table>");
        }

        body.Raw("<p>").Link("/console/s3/download?" + where, "Download", "button").Raw(" ")
            .FormStart("/console/s3/delete", Token(context), "inline").Hidden("bucket", bucket).Hidden("key", key).Button("Delete", cssClass: "danger").FormEnd().Raw("</p>");
        await RenderAsync(context, StatusCodes.Status200OK, key, body, session);
    }

    /// <summary>
    /// A download: GetObject run as the caller, its body streamed through the console (the browser gets
    /// it from the console's own origin rather than through a pre-signed URL).
    /// </summary>
    private async Task DownloadAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var bucket = context.Request.Query["bucket"].ToString();
        var key = context.Request.Query["key"].ToString();
        OperationResult result;
        try
        {
            result = await operations.RunForResultAsync(context, CallerOf(session), "s3", "GetObject", new JsonObject { ["Bucket"] = bucket, ["Key"] = key }, ConsoleOperations.DefaultRegion, body: null);
        }
        catch (Core.Errors.AwsException e)
        {
            await RenderErrorAsync(context, session, key, e);
            return;
        }

        await using var stream = result.Body ?? Stream.Null;
        var response = context.Response;
        response.ContentType = "application/octet-stream";
        if (result.Output["ContentLength"] is JsonValue length && length.TryGetValue<long>(out var bytes))
        {
            response.ContentLength = bytes;
        }

        var fileName = key[(key.LastIndexOf('/') + 1)..];
        response.Headers.ContentDisposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment") { FileNameStar = fileName.Length == 0 ? "download" : fileName }.ToString();
        await stream.CopyToAsync(response.Body, context.RequestAborted);
    }

    private async Task UploadPostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var bucket = form!["bucket"].ToString();
        var prefix = form["prefix"].ToString();
        if (form.Files["file"] is not { } file)
        {
            await BucketAsync(context, session, bucket, prefix, null, Core.Errors.CommonErrors.MissingParameter.ToException("Choose a file to upload."));
            return;
        }

        var key = prefix + Path.GetFileName(file.FileName);
        var input = new JsonObject { ["Bucket"] = bucket, ["Key"] = key, ["ContentLength"] = file.Length };
        if (!string.IsNullOrEmpty(file.ContentType))
        {
            input["ContentType"] = file.ContentType;
        }

        Core.Errors.AwsException? error = null;
        try
        {
            await using var content = file.OpenReadStream();
            var result = await operations.RunForResultAsync(context, CallerOf(session), "s3", "PutObject", input, ConsoleOperations.DefaultRegion, content);
            if (result.Body is { } unused)
            {
                await unused.DisposeAsync();
            }
        }
        catch (Core.Errors.AwsException e)
        {
            error = e;
        }

        await BucketAsync(context, session, bucket, prefix, error is null ? $"Uploaded {key}." : null, error);
    }

    private async Task DeletePostAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var bucket = form!["bucket"].ToString();
        var key = form["key"].ToString();
        var (_, error) = await RunAsync(context, session, "s3", "DeleteObject", new JsonObject { ["Bucket"] = bucket, ["Key"] = key });
        await BucketAsync(context, session, bucket, PrefixOf(key), error is null ? $"Deleted {key}." : null, error);
    }
}
