using System.Runtime.Versioning;

// The client-side tests check POSIX file modes and signals and run child processes through setsid; they run on Linux.
[assembly: SupportedOSPlatform("linux")]
