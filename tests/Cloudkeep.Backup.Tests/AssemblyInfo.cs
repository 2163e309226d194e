using System.Runtime.Versioning;

// The backup tests run pg_dump, psql and gpg as child processes; they run on Linux.
[assembly: SupportedOSPlatform("linux")]
