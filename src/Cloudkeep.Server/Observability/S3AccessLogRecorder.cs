using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading.Channels;
using Cloudkeep.Server.Pipeline;
using Cloudkeep.Services.S3;
using Cloudkeep.Services.S3.Logging;
using Cloudkeep.Storage.Metadata;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Observability;

/// <summary>
/// The record step for S3 server access logging: a request to a bucket that logs becomes one line
/// in AWS's format, handed to a bounded queue and written to the metadata store in batches (about
/// once a second), from where the delivery job makes log objects. Requests to buckets that do not
/// log cost one cached lookup. A full queue drops the line and counts it, as S3's logging is
/// best-effort; a stop flushes what is queued. No signature or session token is written: those
/// query parameters are left out of the logged request URI.
/// </summary>
internal sealed partial class S3AccessLogRecorder(S3Context s3, ServerMetrics metrics, TimeProvider time, ILogger<S3AccessLogRecorder> logger) : BackgroundService
{
    private const int Capacity = 100_000;
    private const int BatchSize = 2_000;
    private static readonly string[] SecretQueryParameters = ["X-Amz-Signature", "Signature", "X-Amz-Security-Token", "x-amz-security-token"];

    private readonly Channel<S3AccessLogLine> _lines = Channel.CreateBounded<S3AccessLogLine>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private long _sequence;

    /// <summary>Records the request if its bucket logs; never fails the request (a line that cannot be made is counted as dropped).</summary>
    public async ValueTask RecordAsync(HttpContext context, RequestState state, TimeSpan elapsed, string? errorCode)
    {
        try
        {
            await RecordLineAsync(context, state, elapsed, errorCode);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            metrics.AccessLogDropped.Inc();
            RecordFailed(logger, exception, state.RequestId);
        }
    }

    private async ValueTask RecordLineAsync(HttpContext context, RequestState state, TimeSpan elapsed, string? errorCode)
    {
        if (!state.IsS3)
        {
            return;
        }

        var bucket = state.Request?.Facts.Find<BucketState>();
        var name = bucket?.Name ?? (state.Input?["Bucket"] as System.Text.Json.Nodes.JsonValue)?.GetValue<string>() ?? state.UriLabels?.GetValueOrDefault("Bucket") ?? state.HostBucket;
        if (name is null || name.Length is 0 or > 63)
        {
            return;
        }

        if (bucket is null || bucket.Name != name)
        {
            bucket = await s3.FindBucketAsync(name, CancellationToken.None);
        }

        if (bucket?.LoggingTarget is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        var request = context.Request;
        var response = context.Response;
        var caller = state.Caller;
        var tls = context.Features.Get<ITlsHandshakeFeature>();
        var input = state.Input;
        var record = new AccessLogRecord
        {
            BucketOwner = S3Context.CanonicalId(bucket.AccountId),
            Bucket = bucket.Name,
            Time = now,
            RemoteIp = context.Connection.RemoteIpAddress?.ToString(),
            Requester = caller.IsAnonymous ? null : caller.Kind == Core.Identity.PrincipalKind.Root ? S3Context.CanonicalId(caller.AccountId) : caller.Arn,
            RequestId = state.RequestId,
            Operation = AccessLogOperations.Name(request.Method, state.Operation?.Name, state.PostUpload is not null),
            Key = (input?["Key"] as System.Text.Json.Nodes.JsonValue)?.GetValue<string>(),
            RequestUri = request.Method + " " + LoggedUri(state) + " " + request.Protocol,
            HttpStatus = response.StatusCode,
            ErrorCode = errorCode,
            BytesSent = response.ContentLength ?? (long.TryParse(response.Headers.ContentLength?.ToString(System.Globalization.CultureInfo.InvariantCulture), out var sent) ? sent : null),
            ObjectSize = request.Method == "PUT" ? UploadedSize(request) : request.Method is "GET" or "HEAD" ? response.ContentLength : null,
            TotalTimeMs = (long)elapsed.TotalMilliseconds,
            TurnAroundTimeMs = (long)elapsed.TotalMilliseconds,
            Referer = request.Headers.Referer.ToString(),
            UserAgent = request.Headers.UserAgent.ToString(),
            VersionId = response.Headers["x-amz-version-id"].ToString(),
            HostId = response.Headers["x-amz-id-2"].ToString(),
            SignatureVersion = state.Signature is not null ? "SigV4" : state.QueryAuthenticated ? "SigV2" : null,
            CipherSuite = tls is null ? null : tls.NegotiatedCipherSuite?.ToString(),
            AuthenticationType = caller.IsAnonymous ? null : state.QueryAuthenticated || state.Signature is { Presigned: true } || state.PostUpload is not null ? "QueryString" : "AuthHeader",
            HostHeader = request.Host.Value,
            TlsVersion = tls is null ? null : tls.Protocol switch
            {
                System.Security.Authentication.SslProtocols.Tls13 => "TLSv1.3",
                System.Security.Authentication.SslProtocols.Tls12 => "TLSv1.2",
                _ => tls.Protocol.ToString(),
            },
        };

        // Ids order a bucket's lines: the time, then this node's sequence, then a random tie-breaker across nodes.
        var id = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{now.ToUnixTimeMilliseconds():D15}-{Interlocked.Increment(ref _sequence):D12}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4))}");
        if (!_lines.Writer.TryWrite(new S3AccessLogLine(id, bucket.Name, now, record.Format())))
        {
            metrics.AccessLogDropped.Inc();
        }
    }

    /// <summary>An upload's size: an aws-chunked body's Content-Length counts its framing, so its decoded length is the object's.</summary>
    private static long? UploadedSize(HttpRequest request) =>
        long.TryParse(request.Headers["x-amz-decoded-content-length"].ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var decoded)
            ? decoded
            : request.ContentLength;

    /// <summary>The request's path and query as received, without any signature or session token.</summary>
    private static string LoggedUri(RequestState state)
    {
        var signable = state.Signable;
        if (signable.RawQuery.Length <= 1)
        {
            return signable.RawPath;
        }

        var kept = signable.RawQuery.TrimStart('?').Split('&')
            .Where(p => !SecretQueryParameters.Any(s => p.StartsWith(s + "=", StringComparison.OrdinalIgnoreCase) || p.Equals(s, StringComparison.OrdinalIgnoreCase)));
        var query = string.Join('&', kept);
        return query.Length == 0 ? signable.RawPath : signable.RawPath + "?" + query;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<S3AccessLogLine>(BatchSize);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(stoppingToken))
            {
                // Gather for up to a second so a busy bucket's lines go in a few transactions.
                var started = Stopwatch.GetTimestamp();
                while (batch.Count < BatchSize && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(1))
                {
                    if (_lines.Reader.TryRead(out var line))
                    {
                        batch.Add(line);
                    }
                    else
                    {
                        await Task.Delay(50, stoppingToken);
                    }
                }

                await FlushAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // A clean stop writes what is still queued.
        while (_lines.Reader.TryRead(out var left))
        {
            batch.Add(left);
        }

        await FlushAsync(batch, CancellationToken.None);
    }

    private async Task FlushAsync(List<S3AccessLogLine> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await s3.Repository.AppendAccessLogLinesAsync(batch, cancellationToken);
            metrics.AccessLogLines.Inc(batch.Count);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            metrics.AccessLogDropped.Inc(batch.Count);
            FlushFailed(logger, exception, batch.Count);
        }

        batch.Clear();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not make the S3 server access log line of request {RequestId}; it is dropped")]
    private static partial void RecordFailed(ILogger logger, Exception exception, string requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} S3 server access log lines; they are dropped")]
    private static partial void FlushFailed(ILogger logger, Exception exception, int count);
}
