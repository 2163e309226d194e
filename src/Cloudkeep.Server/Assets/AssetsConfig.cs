using System.Net;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cloudkeep.Server.Assets;

/// <summary>A configuration the router cannot start with; the message lists every problem found.</summary>
public sealed class AssetsConfigException(string message) : ArgumentException(message);

/// <summary>
/// Reads the assets router's YAML file into <see cref="AssetsOptions"/>, collecting every problem before
/// reporting (so an operator fixes the file once). Files it names (404 page, favicon, robots.txt) are
/// relative to the configuration file.
/// </summary>
public static partial class AssetsConfig
{
    private static readonly HashSet<string> Known =
        ["listen", "upstream", "buckets", "default", "prefixes", "not-found-page", "favicon", "robots", "allow-ips", "trusted-proxies", "access-log"];

    public static AssetsOptions Load(string file, string? listenOverride = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AssetsConfigException($"--assets-config {file}: cannot be read ({e.Message})");
        }

        return Parse(text, Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", file, listenOverride);
    }

    public static AssetsOptions Parse(string yaml, string baseDirectory, string name = "assets config", string? listenOverride = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var errors = new List<string>();
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                throw new AssetsConfigException($"{name}: must be a YAML mapping (buckets:, default:, not-found-page:, ...)");
            }

            root = mapping;
        }
        catch (YamlException e)
        {
            throw new AssetsConfigException($"{name}: not valid YAML at line {e.Start.Line}: {e.Message}");
        }

        foreach (var key in root.Children.Keys)
        {
            if (key is not YamlScalarNode { Value: { } k } || !Known.Contains(k))
            {
                errors.Add($"line {key.Start.Line}: unknown setting '{key}' (known: {string.Join(", ", Known)})");
            }
        }

        var listen = listenOverride ?? Scalar(root, "listen", errors) ?? AssetsOptions.DefaultListen;
        try
        {
            Hosting.ListenAddress.Parse(listen, "assets listen");
        }
        catch (ArgumentException e)
        {
            errors.Add(e.Message);
        }

        var upstream = AssetsUpstream.InProcess;
        switch (Scalar(root, "upstream", errors))
        {
            case null or "in-process":
                break;
            case "proxy":
                upstream = AssetsUpstream.Proxy;
                break;
            case var other:
                errors.Add($"upstream: must be in-process or proxy, not '{other}'");
                break;
        }

        var buckets = new Dictionary<string, AssetsBase>(StringComparer.Ordinal);
        if (Node(root, "buckets") is YamlMappingNode bucketNodes)
        {
            foreach (var (key, value) in bucketNodes.Children)
            {
                var segment = (key as YamlScalarNode)?.Value ?? "";
                if (!SegmentPattern().IsMatch(segment))
                {
                    errors.Add($"line {key.Start.Line}: bucket name '{segment}' must be a path segment of letters, digits, '-', '_' or '.'");
                    continue;
                }

                if (BaseUrl($"buckets.{segment}", (value as YamlScalarNode)?.Value, value.Start.Line, errors) is { } url)
                {
                    buckets[segment] = new AssetsBase(segment, url);
                }
            }
        }
        else
        {
            errors.Add("buckets: required, a mapping from the public path's second segment to a bucket base URL (documents: https://BUCKET.s3.HOST)");
        }

        var defaultName = Scalar(root, "default", errors) ?? "documents";
        buckets.TryGetValue(defaultName, out var defaultBase);
        if (defaultBase is null && buckets.Count > 0)
        {
            errors.Add($"default: '{defaultName}' is not one of buckets ({string.Join(", ", buckets.Keys)})");
        }

        var prefixes = new List<AssetsPrefixRule>();
        if (Node(root, "prefixes") is YamlMappingNode prefixNodes)
        {
            foreach (var (key, value) in prefixNodes.Children)
            {
                var prefix = ((key as YamlScalarNode)?.Value ?? "").TrimEnd('/');
                if (!PrefixPattern().IsMatch(prefix))
                {
                    errors.Add($"line {key.Start.Line}: prefix '{prefix}' must be /segment[/segment...] of letters, digits, '-', '_' or '.'");
                    continue;
                }

                if (BaseUrl($"prefixes.{prefix}", (value as YamlScalarNode)?.Value, value.Start.Line, errors) is { } url)
                {
                    prefixes.Add(new AssetsPrefixRule(prefix, new AssetsBase(prefix, url)));
                }
            }
        }
        else if (Node(root, "prefixes") is { } notMapping)
        {
            errors.Add($"line {notMapping.Start.Line}: prefixes must be a mapping from a path prefix to a bucket base URL");
        }

        // Longest prefix first, so /g-cloud-7/drafts can override /g-cloud-7.
        prefixes.Sort((a, b) => b.Prefix.Length.CompareTo(a.Prefix.Length));

        var notFoundFile = Scalar(root, "not-found-page", errors);
        var notFound = notFoundFile is null
            ? "<!DOCTYPE html>\n<html><head><title>Page not found</title></head><body><h1>Page not found</h1></body></html>\n"u8.ToArray()
            : ReadFile("not-found-page", notFoundFile, baseDirectory, errors);
        var favicon = Scalar(root, "favicon", errors) is { } faviconFile ? ReadFile("favicon", faviconFile, baseDirectory, errors) : null;
        var robots = Scalar(root, "robots", errors) is { } robotsFile ? ReadFile("robots", robotsFile, baseDirectory, errors) : null;
        var allowed = Node(root, "allow-ips") is { } allowNode ? Networks("allow-ips", allowNode, errors) : null;
        var trusted = Node(root, "trusted-proxies") is { } trustNode ? Networks("trusted-proxies", trustNode, errors) : [];
        var accessLog = Scalar(root, "access-log", errors) switch
        {
            null or "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            var other => Invalid(errors, $"access-log: must be true or false, not '{other}'"),
        };

        if (errors.Count > 0)
        {
            throw new AssetsConfigException($"{name}: {errors.Count} problem{(errors.Count == 1 ? "" : "s")}:\n  " + string.Join("\n  ", errors));
        }

        return new AssetsOptions
        {
            Listen = listen,
            Upstream = upstream,
            Buckets = buckets,
            Default = defaultBase!,
            Prefixes = prefixes,
            NotFoundPage = notFound!,
            Favicon = favicon,
            Robots = robots ?? AssetsOptions.DefaultRobots,
            AllowedNetworks = allowed,
            TrustedProxies = trusted ?? [],
            AccessLog = accessLog,
        };
    }

    private static bool Invalid(List<string> errors, string message)
    {
        errors.Add(message);
        return true;
    }

    private static YamlNode? Node(YamlMappingNode root, string key) =>
        root.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static string? Scalar(YamlMappingNode root, string key, List<string> errors)
    {
        switch (Node(root, key))
        {
            case null:
                return null;
            case YamlScalarNode { Value: { Length: > 0 } value }:
                return value;
            case var node:
                errors.Add($"line {node.Start.Line}: {key} must be a single value");
                return null;
        }
    }

    /// <summary>
    /// A base is scheme://host[:port] with no path or one path segment (the bucket, path-style); no query,
    /// fragment or user info, which the router could not join the public path to without ambiguity.
    /// </summary>
    private static Uri? BaseUrl(string setting, string? value, long line, List<string> errors)
    {
        if (value is null || !Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            errors.Add($"line {line}: {setting} must be an http(s) URL of a bucket (https://BUCKET.s3.HOST or https://HOST/BUCKET), not '{value}'");
            return null;
        }

        var path = url.AbsolutePath.TrimEnd('/');
        if (url.UserInfo.Length > 0 || url.Query.Length > 0 || url.Fragment.Length > 0 || (path.Length > 0 && !BucketPathPattern().IsMatch(path)))
        {
            errors.Add($"line {line}: {setting} must be just scheme://host[:port] or scheme://host[:port]/BUCKET (no user, query, fragment or deeper path), not '{value}'");
            return null;
        }

        if (path.Length == 0 && url.Host.IndexOf(".s3.", StringComparison.OrdinalIgnoreCase) <= 0)
        {
            errors.Add($"line {line}: {setting} names no bucket: use a virtual-hosted URL (BUCKET.s3.HOST) or a path-style one (HOST/BUCKET), not '{value}'");
            return null;
        }

        return new Uri(url.GetLeftPart(UriPartial.Authority) + path);
    }

    private static byte[]? ReadFile(string setting, string file, string baseDirectory, List<string> errors)
    {
        var full = Path.Combine(baseDirectory, file);
        try
        {
            return File.ReadAllBytes(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{setting}: {full} cannot be read ({e.Message})");
            return null;
        }
    }

    private static List<IPNetwork>? Networks(string setting, YamlNode node, List<string> errors)
    {
        if (node is not YamlSequenceNode sequence)
        {
            errors.Add($"line {node.Start.Line}: {setting} must be a list of addresses or CIDR networks");
            return null;
        }

        var networks = new List<IPNetwork>();
        foreach (var item in sequence.Children)
        {
            var text = (item as YamlScalarNode)?.Value ?? "";
            if (IPNetwork.TryParse(text, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(text, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                errors.Add($"line {item.Start.Line}: {setting} entry '{text}' is neither an IP address nor a CIDR network");
            }
        }

        return networks;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex SegmentPattern();

    [GeneratedRegex("^(/[A-Za-z0-9._-]+)+$")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex("^/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketPathPattern();
}
