using System.Runtime.Versioning;

// The integration tests check POSIX file modes and signals; they run on Linux (as the server is deployed).
[assembly: SupportedOSPlatform("linux")]
