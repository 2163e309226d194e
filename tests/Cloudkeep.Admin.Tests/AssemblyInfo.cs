using System.Runtime.Versioning;

// The estate backup tests run the built cloudkeep, pg_dump and psql as child processes and send signals; they run on Linux.
[assembly: SupportedOSPlatform("linux")]
