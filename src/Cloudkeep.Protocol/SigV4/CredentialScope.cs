namespace Cloudkeep.Protocol.SigV4;

/// <summary>The parsed Credential value: access key id / yyyyMMdd / region / service / aws4_request.</summary>
public readonly record struct CredentialScope(string AccessKeyId, string Date, string Region, string Service)
{
    /// <summary>date/region/service/aws4_request, as it appears in the string to sign.</summary>
    public string Scope { get; private init; } = $"{Date}/{Region}/{Service}/{SigV4Constants.Terminator}";

    /// <summary>Parses "AKID/20150830/us-east-1/iam/aws4_request"; false when any part is missing or malformed.</summary>
    public static bool TryParse(string credential, out CredentialScope scope, out string problem)
    {
        scope = default;
        var parts = credential.Split('/');
        if (parts.Length != 5)
        {
            problem = $"Credential should be scoped to a valid region, service and terminator: '{credential}'.";
            return false;
        }

        if (parts[0].Length == 0)
        {
            problem = "Credential is missing the access key id.";
            return false;
        }

        if (parts[1].Length != 8 || parts[1].AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            problem = $"Credential should be scoped to a valid date: '{parts[1]}'.";
            return false;
        }

        if (parts[2].Length == 0 || parts[3].Length == 0)
        {
            problem = "Credential should be scoped to a valid region and service.";
            return false;
        }

        if (parts[4] != SigV4Constants.Terminator)
        {
            problem = $"Credential should be scoped with a valid terminator: 'aws4_request', not '{parts[4]}'.";
            return false;
        }

        scope = new CredentialScope(parts[0], parts[1], parts[2], parts[3]);
        problem = "";
        return true;
    }
}
