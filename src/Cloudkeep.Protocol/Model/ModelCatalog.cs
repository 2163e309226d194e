using System.Collections.Frozen;

namespace Cloudkeep.Protocol.Model;

/// <summary>The service models Cloudkeep serves, by signing name, by X-Amz-Target prefix and by model file.</summary>
public sealed class ModelCatalog
{
    public static readonly IReadOnlyList<string> EmbeddedModelFiles =
    [
        "sts-2011-06-15.json.gz",
        "iam-2010-05-08.json.gz",
        "organizations-2016-11-28.json.gz",
        "kms-2014-11-01.json.gz",
        "s3-2006-03-01.json.gz",
        "route53-2013-04-01.json.gz",
        "cloudtrail-2013-11-01.json.gz",
        "sns-2010-03-31.json.gz",
        "logs-2014-03-28.json.gz",
        "monitoring-2010-08-01.json.gz",
        "ce-2017-10-25.json.gz",
    ];

    private readonly FrozenDictionary<string, ServiceModel> _bySigningName;
    private readonly FrozenDictionary<string, ServiceModel> _byTargetPrefix;

    public ModelCatalog(IEnumerable<ServiceModel> models)
    {
        var list = models.ToList();
        _bySigningName = list.ToFrozenDictionary(m => m.SigningName, StringComparer.Ordinal);
        _byTargetPrefix = list.Where(m => m.TargetPrefix is not null).ToFrozenDictionary(m => m.TargetPrefix!, StringComparer.Ordinal);
    }

    public static ModelCatalog LoadEmbedded() =>
        new(EmbeddedModelFiles.AsParallel().Select(ServiceModel.LoadEmbedded));

    public IEnumerable<ServiceModel> All => _bySigningName.Values;

    public bool TryGetBySigningName(string signingName, out ServiceModel model) =>
        _bySigningName.TryGetValue(signingName, out model!);

    public bool TryGetByTargetPrefix(string prefix, out ServiceModel model) =>
        _byTargetPrefix.TryGetValue(prefix, out model!);
}
