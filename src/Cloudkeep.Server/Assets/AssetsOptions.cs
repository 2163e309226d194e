using System.Net;

namespace Cloudkeep.Server.Assets;

/// <summary>How the assets router reaches a bucket base: through this process's S3 pipeline, or over HTTP with YARP.</summary>
public enum AssetsUpstream
{
    /// <summary>The request is rewritten (Host, raw target) and run through this server's own S3 pipeline.</summary>
    InProcess,

    /// <summary>The request is forwarded over HTTP by YARP's forwarder, to any S3 endpoint (another Cloudkeep, AWS).</summary>
    Proxy,
}

/// <summary>One bucket base URL: scheme://host[:port] plus an optional "/bucket" path (path-style).</summary>
public sealed record AssetsBase(string Name, Uri Url)
{
    /// <summary>The Host header S3 sees (and the presigned URL signed): the base's authority, its port only when not the default.</summary>
    public string Host => Url.IsDefaultPort ? Url.Host : $"{Url.Host}:{Url.Port}";

    /// <summary>"" for a virtual-hosted base, "/bucket" for a path-style one.</summary>
    public string PathPrefix => Url.AbsolutePath.TrimEnd('/');

    /// <summary>The bucket the base names: the path's one segment, or the host's label before ".s3.".</summary>
    public string Bucket => PathPrefix.Length > 0
        ? PathPrefix[1..]
        : Url.Host[..Math.Max(0, Url.Host.IndexOf(".s3.", StringComparison.OrdinalIgnoreCase))];
}

/// <summary>A path prefix with its own base (the seed's "/g-cloud-7" drafts bucket); matched before the segment rule.</summary>
public sealed record AssetsPrefixRule(string Prefix, AssetsBase Base);

/// <summary>
/// The assets router's configuration, immutable once validated (<see cref="AssetsConfig"/> builds it and reports
/// every problem at once). The mapping follows the Digital Marketplace router: the second segment of the public
/// path picks a bucket base, anything else goes to the default, and a few prefixes have their own.
/// </summary>
public sealed record AssetsOptions
{
    public const string DefaultListen = "127.0.0.1:4567";

    public string Listen { get; init; } = DefaultListen;

    public AssetsUpstream Upstream { get; init; } = AssetsUpstream.InProcess;

    /// <summary>Second path segment → base, e.g. documents, agreements, communications, submissions, reports.</summary>
    public required IReadOnlyDictionary<string, AssetsBase> Buckets { get; init; }

    /// <summary>The base for every path whose second segment names no bucket.</summary>
    public required AssetsBase Default { get; init; }

    public IReadOnlyList<AssetsPrefixRule> Prefixes { get; init; } = [];

    /// <summary>The site's 404 page, answered for S3's 400–404 and 505 and for paths the router refuses.</summary>
    public required byte[] NotFoundPage { get; init; }

    public byte[]? Favicon { get; init; }

    /// <summary>The assets are public documents: robots may fetch them unless the operator's file says otherwise.</summary>
    public static byte[] DefaultRobots => "User-agent: *\nDisallow:\n"u8.ToArray();

    public byte[] Robots { get; init; } = DefaultRobots;

    /// <summary>Null: everyone. Otherwise only peers in these networks (non-production stages).</summary>
    public IReadOnlyList<IPNetwork>? AllowedNetworks { get; init; }

    /// <summary>Peers whose X-Forwarded-For is believed (a load balancer in front); empty: none is.</summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];

    public bool AccessLog { get; init; } = true;

    /// <summary>Every base the router may send to, for validation and for `cloudkeep presign --via-assets`.</summary>
    public IEnumerable<AssetsBase> AllBases => Buckets.Values.Append(Default).Concat(Prefixes.Select(p => p.Base)).Distinct();
}
