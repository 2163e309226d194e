using System.Threading.Channels;
using Cloudkeep.Core.Crypto;
using Cloudkeep.Policy;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Sns;

/// <summary>What SNS's operations and its delivery job share: the store, the clock, the signer and the wake-up of the delivery job.</summary>
public sealed class SnsContext
{
    private readonly Channel<bool> _queued = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private string _publicBaseUrl = "http://127.0.0.1";

    public SnsContext(SnsRepository repository, SettingsRepository settings, SecretBox secrets, TimeProvider time)
    {
        Repository = repository;
        Time = time;
        Signer = new SnsSigner(settings, secrets, time);
    }

    public SnsRepository Repository { get; }

    public TimeProvider Time { get; }

    /// <summary>The address subscribers reach this server at: SubscribeURL, UnsubscribeURL and SigningCertURL are under it.</summary>
    /// <remarks>Set once the listener is bound (its port may be chosen then).</remarks>
    public string PublicBaseUrl
    {
        get => _publicBaseUrl;
        set => _publicBaseUrl = value.TrimEnd('/');
    }

    public SnsSigner Signer { get; }

    /// <summary>Topic policies compiled once per policy text.</summary>
    public PolicyCache Policies { get; } = new();

    /// <summary>Wakes the delivery job after a publish or subscribe queued a delivery.</summary>
    public void DeliveryQueued() => _queued.Writer.TryWrite(true);

    public async Task WaitForDeliveryAsync(CancellationToken cancellationToken) => await _queued.Reader.ReadAsync(cancellationToken);
}
