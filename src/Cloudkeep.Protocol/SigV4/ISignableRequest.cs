namespace Cloudkeep.Protocol.SigV4;

/// <summary>
/// The parts of an HTTP request that SigV4 covers, independent of any web server, so the
/// verifier can be tested on AWS's published vectors and benchmarked without ASP.NET.
/// </summary>
public interface ISignableRequest
{
    string Method { get; }

    /// <summary>The path exactly as sent on the request line (still percent-encoded).</summary>
    string RawPath { get; }

    /// <summary>The query string as sent, without the leading '?'.</summary>
    string RawQuery { get; }

    /// <summary>The query string's decoded name/value pairs (the first of a repeated name wins), parsed once per request.</summary>
    IReadOnlyDictionary<string, string> Query { get; }

    /// <summary>All values of a header joined with ',' (as HTTP folds repeated headers), or false.</summary>
    bool TryGetHeader(string name, out string value);
}
