using System.Globalization;
using System.Text.Json.Nodes;
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

    private async Task BucketPageAsync(HttpContext context, ConsoleSession session, IFormCollection? form)
    {
        var name = context.Request.Query["name"].ToString();
        var prefix = context.Request.Query["prefix"].ToString();
        var input = new JsonObject { ["Bucket"] = name, ["Delimiter"] = "/", ["MaxKeys"] = 1000L };
        if (prefix.Length > 0)
        {
            input["Prefix"] = prefix;
        }

        if (context.Request.Query["after"].ToString() is { Length: > 0 } token)
        {
            input["ContinuationToken"] = token;
        }

        var (listed, error) = await RunAsync(context, session, "s3", "ListObjectsV2", input);
        if (error is not null)
        {
            await RenderErrorAsync(context, session, name, error);
            return;
        }

        var body = new Html().Raw("<h1>").Text(name).Raw("</h1><p class=\"crumbs\">").Link("/console/s3", "Buckets").Raw(" / ")
            .Link("/console/s3/bucket?name=" + Uri.EscapeDataString(name), name);
        var walked = "";
        foreach (var part in prefix.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            walked += part + "/";
            body.Raw(" / ").Link($"/console/s3/bucket?name={Uri.EscapeDataString(name)}&prefix={Uri.EscapeDataString(walked)}", part);
        }

        body.Raw("</p><table id=\"objects\"><thead><tr><th>Name</th><th>Size</th><th>Last modified</th></tr></thead><tbody>");
        foreach (var folder in (listed!["CommonPrefixes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var p = folder["Prefix"]?.GetValue<string>() ?? "";
            body.Raw("<tr><td>").Link($"/console/s3/bucket?name={Uri.EscapeDataString(name)}&prefix={Uri.EscapeDataString(p)}", p[prefix.Length..], "folder").Raw("</td><td></td><td></td></tr>");
        }

        foreach (var item in (listed["Contents"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = item["Key"]?.GetValue<string>() ?? "";
            var size = item["Size"] is JsonValue s && s.TryGetValue<long>(out var bytes) ? bytes.ToString("N0", CultureInfo.InvariantCulture) + " B" : "";
            body.Raw("<tr>").El("td", key[Math.Min(prefix.Length, key.Length)..]).El("td", size).El("td", Date(item["LastModified"])).Raw("</tr>");
        }

        body.Raw("</tbody></table>");
        if (listed["NextContinuationToken"]?.GetValue<string>() is { } next)
        {
            body.Raw("<p>").Link($"/console/s3/bucket?name={Uri.EscapeDataString(name)}&prefix={Uri.EscapeDataString(prefix)}&after={Uri.EscapeDataString(next)}", "Next page").Raw("</p>");
        }

        await RenderAsync(context, StatusCodes.Status200OK, name, body, session);
    }
}
