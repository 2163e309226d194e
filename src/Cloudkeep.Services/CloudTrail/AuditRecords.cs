using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Identity;

namespace Cloudkeep.Services.CloudTrail;

/// <summary>
/// Makes CloudTrail records (CloudTrail User Guide, "CloudTrail record contents for management, data,
/// and network activity events", eventVersion 1.09) from what the record step captured. Secrets are
/// never written: members holding passwords, secret keys, session tokens, key material, plaintexts,
/// MFA seeds and codes are written as AWS writes them, "HIDDEN_DUE_TO_SECURITY_REASONS", and binary
/// members (plaintexts, ciphertexts, QR codes) are left out altogether.
/// </summary>
public static partial class AuditRecords
{
    public const string EventVersion = "1.09";
    public const string Hidden = "HIDDEN_DUE_TO_SECURITY_REASONS";

    /// <summary>AWS omits requestParameters / responseElements larger than this (CloudTrail quotas: "100 KB").</summary>
    public const int MaxElementBytes = 100 * 1024;

    /// <summary>Services whose events AWS records in us-east-1 whatever endpoint was called.</summary>
    private static readonly HashSet<string> GlobalServices = new(StringComparer.Ordinal) { "iam", "organizations", "route53" };

    /// <summary>
    /// Member names (or parts of them) whose values are secrets. Compared case-insensitively as a
    /// substring, so NewPassword, OldPassword, SecretAccessKey, SSECustomerKey and the like are all caught.
    /// </summary>
    private static readonly string[] SecretMemberParts =
    [
        "Password", "Secret", "SessionToken", "SecurityToken", "Plaintext", "PrivateKey", "Seed", "QRCode",
        "SSECustomerKey", "AuthenticationCode", "TokenCode", "SAMLAssertion", "WebIdentityToken", "KeyMaterial",
    ];

    /// <summary>What <see cref="IsSecretMember"/> answered for each member name seen: it runs for every member of every recorded request.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> SecretMemberNames = new(StringComparer.Ordinal);

    /// <summary>S3's object-level operations: data events (CloudTrail User Guide, "Logging data events"), recorded only for trails that select them.</summary>
    private static readonly HashSet<string> S3DataOperations = new(StringComparer.Ordinal)
    {
        "GetObject", "HeadObject", "PutObject", "CopyObject", "DeleteObject", "DeleteObjects", "GetObjectAttributes",
        "GetObjectAcl", "PutObjectAcl", "GetObjectTagging", "PutObjectTagging", "DeleteObjectTagging",
        "GetObjectRetention", "PutObjectRetention", "GetObjectLegalHold", "PutObjectLegalHold",
        "CreateMultipartUpload", "UploadPart", "UploadPartCopy", "CompleteMultipartUpload", "AbortMultipartUpload", "ListParts",
        "RestoreObject", "SelectObjectContent",
    };

    /// <summary>
    /// Read-only calls whose answer AWS still records in responseElements: the temporary credentials they issue (their
    /// secrets redacted). Every other read-only call (Get*, List*, Describe*, the KMS cryptographic operations) has no
    /// responseElements, as CloudTrail writes it: "if an action does not change state ... this element is omitted".
    /// </summary>
    private static readonly HashSet<string> IssuesCredentials = new(StringComparer.Ordinal)
    {
        "AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "GetSessionToken", "GetFederationToken",
    };

    /// <summary>Operations that change nothing yet are not named Get/List/Describe/Head (KMS's cryptographic reads, STS's sessions).</summary>
    private static readonly HashSet<string> AlsoReadOnly = new(StringComparer.Ordinal)
    {
        "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateRandom",
        "AssumeRole", "GetSessionToken", "LookupEvents", "SimulatePrincipalPolicy", "SimulateCustomPolicy", "DecodeAuthorizationMessage",
    };

    private static readonly Dictionary<string, string> ResourceMembers = new(StringComparer.Ordinal)
    {
        ["Bucket"] = "AWS::S3::Bucket",
        ["BucketName"] = "AWS::S3::Bucket",
        ["UserName"] = "AWS::IAM::User",
        ["RoleName"] = "AWS::IAM::Role",
        ["GroupName"] = "AWS::IAM::Group",
        ["PolicyArn"] = "AWS::IAM::Policy",
        ["KeyId"] = "AWS::KMS::Key",
        ["AliasName"] = "AWS::KMS::Alias",
        ["RoleArn"] = "AWS::IAM::Role",
        ["HostedZoneId"] = "AWS::Route53::HostedZone",
        ["PolicyId"] = "AWS::Organizations::Policy",
        ["AccountId"] = "AWS::Organizations::Account",
    };

    // One scratch buffer and writer per thread for each kind of JSON made here: the record is made on
    // the request's path, and a new buffer (grown twice to hold 1 KB) and writer per event were most of
    // what the record step allocated.
    [ThreadStatic]
    private static Scratch? t_record;

    [ThreadStatic]
    private static Scratch? t_elements;

    public static bool IsGlobal(string service) => GlobalServices.Contains(service);

    public static bool IsDataEvent(string? service, string? operation) =>
        service == "s3" && operation is not null && S3DataOperations.Contains(operation);

    public static bool IsReadOnly(string? operation) =>
        operation is not null && (operation.StartsWith("Get", StringComparison.Ordinal) || operation.StartsWith("List", StringComparison.Ordinal)
            || operation.StartsWith("Describe", StringComparison.Ordinal) || operation.StartsWith("Head", StringComparison.Ordinal)
            || AlsoReadOnly.Contains(operation));

    public static bool IsSecretMember(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (SecretMemberNames.TryGetValue(name, out var known))
        {
            return known;
        }

        var secret = false;
        foreach (var part in SecretMemberParts)
        {
            if (name.Contains(part, StringComparison.OrdinalIgnoreCase))
            {
                secret = true;
                break;
            }
        }

        // Member names come from the service models, a few thousand at most; the bound keeps a request
        // that somehow carried unmodelled names from growing the cache.
        if (SecretMemberNames.Count < 8_192)
        {
            SecretMemberNames.TryAdd(name, secret);
        }

        return secret;
    }

    /// <summary>
    /// The events one call makes: one for the caller's account and, when the request named a resource
    /// of another account, a second copy for that account sharing its sharedEventID (as AWS does for
    /// cross-account calls). None when no account can be named (an unknown access key, anonymous and
    /// no resource).
    /// </summary>
    public static IReadOnlyList<AuditEvent> Build(AuditCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var identity = call.ClaimedCaller ?? call.Caller;
        var primary = identity.IsAnonymous ? call.ResourceAccount : identity.AccountId;
        if (string.IsNullOrEmpty(primary))
        {
            return [];
        }

        var secondary = call.ResourceAccount is { Length: > 0 } other && other != primary ? other : null;
        var service = call.Service ?? "unknown";
        var eventSource = service + ".amazonaws.com";
        var eventName = call.Operation ?? "Unknown";
        var region = IsGlobal(service) ? "us-east-1" : call.Region;
        var readOnly = IsReadOnly(call.Operation);
        var management = !IsDataEvent(call.Service, call.Operation);
        var requestParameters = Elements(call.Input);
        var responseElements = call.ErrorCode is not null ? null
            : call.EventType is not null ? Verbatim(call.Output)
            : readOnly && !IssuesCredentials.Contains(eventName) ? null
            : Elements(call.Output);
        var username = Username(identity, call.ClaimedCaller is not null);
        var accessKeyId = identity.AccessKeyId ?? call.ClaimedAccessKeyId;
        var resources = Resources(call.Input);
        var identityType = IdentityType(identity, call);
        var sharedEventId = secondary is null ? null : Guid.NewGuid().ToString();
        var events = new List<AuditEvent>(secondary is null ? 1 : 2);
        foreach (var recipient in secondary is null ? [primary] : new[] { primary, secondary })
        {
            // Version 7 UUIDs (time first): still AWS's eventID format, and the store's index of
            // (account, eventID) grows at its end rather than at a random page for every event.
            var eventId = NewEventId(call.Time);
            var record = Write(call, identity, eventSource, eventName, region, readOnly, management, requestParameters, responseElements, eventId, recipient, sharedEventId);
            events.Add(new AuditEvent(eventId, recipient, region, call.Time, eventName, eventSource, username, accessKeyId, readOnly, management, record, resources) { IdentityType = identityType });
        }

        return events;
    }

    private static string Write(
        AuditCall call, Caller identity, string eventSource, string eventName, string region, bool readOnly, bool management,
        byte[]? requestParameters, byte[]? responseElements, string eventId, string recipient, string? sharedEventId)
    {
        var scratch = Scratch.Take(ref t_record);
        var buffer = scratch.Buffer;
        var json = scratch.Json;
        {
            json.WriteStartObject();
            json.WriteString("eventVersion", EventVersion);
            WriteIdentity(json, identity, call);
            json.WriteString("eventTime", Timestamp(call.Time));
            json.WriteString("eventSource", eventSource);
            json.WriteString("eventName", eventName);
            json.WriteString("awsRegion", region);
            json.WriteString("sourceIPAddress", call.InvokedBy ?? (string.IsNullOrEmpty(call.SourceIp) ? "unknown" : call.SourceIp));
            json.WriteString("userAgent", call.InvokedBy ?? call.UserAgent ?? "");
            if (call.ErrorCode is { } code)
            {
                json.WriteString("errorCode", code);
                json.WriteString("errorMessage", call.ErrorMessage ?? "");
            }
            else if (call.ErrorMessage is { } message && call.EventType is not null)
            {
                // A failed sign-in: AWS gives "Failed authentication" and no error code.
                json.WriteString("errorMessage", message);
            }

            json.WritePropertyName("requestParameters");
            WriteRaw(json, requestParameters);
            json.WritePropertyName("responseElements");
            WriteRaw(json, responseElements);
            if (call.AdditionalEventData is { Count: > 0 } additional)
            {
                json.WriteStartObject("additionalEventData");
                foreach (var (name, value) in additional)
                {
                    json.WriteString(name, value);
                }

                json.WriteEndObject();
            }

            if (call.EventType is null)
            {
                // Sign-in events carry no request id.
                json.WriteString("requestID", call.RequestId);
            }

            json.WriteString("eventID", eventId);
            json.WriteBoolean("readOnly", readOnly);
            json.WriteString("eventType", call.EventType ?? "AwsApiCall");
            json.WriteBoolean("managementEvent", management);
            json.WriteString("recipientAccountId", recipient);
            if (sharedEventId is not null)
            {
                json.WriteString("sharedEventID", sharedEventId);
            }

            json.WriteString("eventCategory", management ? "Management" : "Data");
            if (call.FromConsole)
            {
                json.WriteString("sessionCredentialFromConsole", "true");
            }
            json.WriteEndObject();
            json.Flush();
        }

        var text = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        Scratch.Return(ref t_record, scratch);
        return text;
    }

    private static void WriteRaw(Utf8JsonWriter json, byte[]? element)
    {
        if (element is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteRawValue(element, skipInputValidation: true);
        }
    }

    /// <summary>userIdentity.type: who made the call, as far as the request proved it.</summary>
    private static string IdentityType(Caller identity, AuditCall call) =>
        call.ClaimedCaller is not null ? "Unknown" // authentication failed: the key's owner is named, nothing proven
        : !identity.IsAnonymous ? identity.Kind switch
        {
            PrincipalKind.Root => "Root",
            PrincipalKind.User => "IAMUser",
            PrincipalKind.AssumedRole => "AssumedRole",
            PrincipalKind.FederatedUser => "FederatedUser",
            _ => "Unknown",
        }
        : call.InvokedBy is not null ? "AWSService"
        : call.ClaimedAccessKeyId is not null ? "Unknown" // signed with a key no account holds
        : "AWSAccount"; // S3's anonymous requests

    /// <summary>userIdentity (CloudTrail User Guide, "CloudTrail userIdentity element").</summary>
    private static void WriteIdentity(Utf8JsonWriter json, Caller identity, AuditCall call)
    {
        json.WriteStartObject("userIdentity");
        json.WriteString("type", IdentityType(identity, call));
        if (call.ClaimedCaller is null && identity.IsAnonymous && call.InvokedBy is { } service)
        {
            json.WriteString("invokedBy", service);
            json.WriteEndObject();
            return;
        }

        if (call.ClaimedCaller is null && identity.IsAnonymous)
        {
            if (call.ClaimedAccessKeyId is { } key)
            {
                // Signed with a key no account holds: who it was cannot be known.
                json.WriteString("principalId", "");
                json.WriteString("accessKeyId", key);
            }
            else
            {
                // S3's anonymous requests: "type": "AWSAccount", "accountId": "anonymous".
                json.WriteString("principalId", "");
                json.WriteString("accountId", "anonymous");
            }

            json.WriteEndObject();
            return;
        }

        if (call.ClaimedCaller is not null)
        {
            // Authentication failed: the key's owner is named, but nothing proven.
            json.WriteString("principalId", identity.UserId);
            json.WriteString("accountId", identity.AccountId);
            json.WriteString("accessKeyId", identity.AccessKeyId ?? call.ClaimedAccessKeyId ?? "");
            if (identity.UserName is { } claimedUser)
            {
                json.WriteString("userName", claimedUser);
            }

            json.WriteEndObject();
            return;
        }

        json.WriteString("principalId", identity.UserId);
        json.WriteString("arn", identity.Arn);
        json.WriteString("accountId", identity.AccountId);
        if (identity.AccessKeyId is { } accessKey)
        {
            json.WriteString("accessKeyId", accessKey);
        }

        if (identity.UserName is { } userName)
        {
            json.WriteString("userName", userName);
        }

        if (identity.Session is { } session)
        {
            json.WriteStartObject("sessionContext");
            if (session.RoleArn is { } roleArn)
            {
                json.WriteStartObject("sessionIssuer");
                json.WriteString("type", "Role");
                var colon = identity.UserId.IndexOf(':', StringComparison.Ordinal);
                json.WriteString("principalId", colon > 0 ? identity.UserId[..colon] : identity.UserId);
                json.WriteString("arn", roleArn);
                json.WriteString("accountId", identity.AccountId);
                json.WriteString("userName", roleArn[(roleArn.LastIndexOf('/') + 1)..]);
                json.WriteEndObject();
            }

            json.WriteStartObject("attributes");
            json.WriteString("creationDate", Timestamp(session.IssuedAt));
            json.WriteString("mfaAuthenticated", session.MultiFactorAuthPresent ? "true" : "false");
            json.WriteEndObject();
            if (session.SourceIdentity is { } source)
            {
                json.WriteString("sourceIdentity", source);
            }

            json.WriteEndObject();
        }

        if (call.InvokedBy is { } invokedBy)
        {
            json.WriteString("invokedBy", invokedBy);
        }

        json.WriteEndObject();
    }

    /// <summary>The LookupEvents Username: the IAM user's name, the role session's name, "root".</summary>
    private static string? Username(Caller identity, bool claimed) => identity.Kind switch
    {
        _ when claimed => identity.UserName,
        PrincipalKind.Root => "root",
        PrincipalKind.User => identity.UserName,
        PrincipalKind.AssumedRole or PrincipalKind.FederatedUser => identity.Arn[(identity.Arn.LastIndexOf('/') + 1)..],
        _ => null,
    };

    private static List<(string Type, string Name)> Resources(JsonObject? input)
    {
        var resources = new List<(string Type, string Name)>();
        if (input is null)
        {
            return resources;
        }

        foreach (var (member, type) in ResourceMembers)
        {
            if (input.TryGetPropertyValue(member, out var node) && node is JsonValue value && value.TryGetValue<string>(out var name) && name.Length is > 0 and <= 2048)
            {
                resources.Add((type, name));
            }
        }

        return resources;
    }

    /// <summary>A request's or response's members as AWS records them: camelCase names, secrets hidden, binary left out.</summary>
    private static byte[]? Elements(JsonObject? tree)
    {
        if (tree is null || tree.Count == 0)
        {
            return null;
        }

        var scratch = Scratch.Take(ref t_elements);
        WriteObject(scratch.Json, tree, 0);
        scratch.Json.Flush();
        var elements = scratch.Buffer.WrittenCount > MaxElementBytes ? null : scratch.Buffer.WrittenSpan.ToArray();
        Scratch.Return(ref t_elements, scratch);
        return elements;
    }

    /// <summary>A sign-in event's flat responseElements, its member names as AWS writes them ("ConsoleLogin").</summary>
    private static byte[]? Verbatim(JsonObject? tree)
    {
        if (tree is null || tree.Count == 0)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(64);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, node) in tree)
            {
                json.WriteString(name, node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteObject(Utf8JsonWriter json, JsonObject tree, int depth)
    {
        json.WriteStartObject();
        foreach (var (name, node) in tree)
        {
            if (IsBinary(node))
            {
                continue;
            }

            json.WritePropertyName(CamelCase(name));
            if (IsSecretMember(name) && node is not null)
            {
                json.WriteStringValue(Hidden);
                continue;
            }

            WriteNode(json, node, depth + 1);
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// A blob (the decoder makes the model's blob members byte arrays) or a stream. A string is never one,
    /// though a string backed by JSON text would also read as bytes when it happens to be valid base64.
    /// </summary>
    private static bool IsBinary(JsonNode? node) =>
        node is JsonValue value && !value.TryGetValue<string>(out _) && (value.TryGetValue<byte[]>(out _) || value.TryGetValue<Stream>(out _));

    private static void WriteNode(Utf8JsonWriter json, JsonNode? node, int depth)
    {
        if (depth > 32)
        {
            json.WriteNullValue();
            return;
        }

        switch (node)
        {
            case null:
                json.WriteNullValue();
                break;
            case JsonObject obj:
                WriteObject(json, obj, depth);
                break;
            case JsonArray array:
                json.WriteStartArray();
                foreach (var item in array)
                {
                    if (IsBinary(item))
                    {
                        continue;
                    }

                    WriteNode(json, item, depth + 1);
                }

                json.WriteEndArray();
                break;
            case JsonValue value:
                WriteValue(json, value);
                break;
            default:
                json.WriteNullValue();
                break;
        }
    }

    private static void WriteValue(Utf8JsonWriter json, JsonValue value)
    {
        if (value.TryGetValue<string>(out var text))
        {
            json.WriteStringValue(text);
        }
        else if (value.TryGetValue<bool>(out var flag))
        {
            json.WriteBooleanValue(flag);
        }
        else if (value.TryGetValue<long>(out var number))
        {
            json.WriteNumberValue(number);
        }
        else if (value.TryGetValue<int>(out var small))
        {
            json.WriteNumberValue(small);
        }
        else if (value.TryGetValue<double>(out var real))
        {
            if (double.IsFinite(real))
            {
                json.WriteNumberValue(real);
            }
            else
            {
                json.WriteNullValue();
            }
        }
        else if (value.TryGetValue<DateTimeOffset>(out var at))
        {
            json.WriteStringValue(Timestamp(at));
        }
        else if (value.TryGetValue<DateTime>(out var dateTime))
        {
            json.WriteStringValue(Timestamp(new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc))));
        }
        else if (value.TryGetValue<JsonElement>(out var element))
        {
            element.WriteTo(json);
        }
        else
        {
            // A value of a kind not expected here is not guessed at (it might be a secret's bytes).
            json.WriteNullValue();
        }
    }

    private static string CamelCase(string name) =>
        name.Length == 0 || char.IsLower(name[0]) ? name : string.Create(name.Length, name, static (span, n) =>
        {
            n.AsSpan().CopyTo(span);
            span[0] = char.ToLowerInvariant(span[0]);
        });

    /// <summary>
    /// yyyy-MM-ddTHH:mm:ssZ. Through the round-trip "s" format, which .NET writes without the custom format
    /// parser: this runs two or three times for every recorded event.
    /// </summary>
    public static string Timestamp(DateTimeOffset at) =>
        string.Create(20, at.UtcDateTime, static (span, utc) =>
        {
            utc.TryFormat(span, out _, "s", CultureInfo.InvariantCulture);
            span[19] = 'Z';
        });

    /// <summary>
    /// A version 7 UUID (RFC 9562: the millisecond time first, then random bits). The random bits come from
    /// <see cref="Random.Shared"/>: an event id must be unique, not unguessable (AWS shows it to anyone who
    /// can read the trail), and <see cref="Guid.CreateVersion7(DateTimeOffset)"/> asks the kernel for its
    /// randomness with a system call per id.
    /// </summary>
    public static string NewEventId(DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes[6..]);
        var milliseconds = at.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)milliseconds;
            milliseconds >>= 8;
        }

        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
