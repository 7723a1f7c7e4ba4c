using System.Runtime.InteropServices;

namespace Portal.Hosting;

/// <summary>
/// Caps glibc's malloc arenas at two, as <c>MALLOC_ARENA_MAX=2</c> does, unless the operator set that (or
/// GLIBC_TUNABLES) themselves. glibc gives threads their own arenas (up to 8 per core) and memory freed into one is
/// not reused by the others, so native allocations of the runtime, Kestrel and the WebSocket connections of idle
/// circuits spread over many half-empty arenas: about 0.3 MB resident per circuit measured (docs/benchmarks.md,
/// Portal UI). Elsewhere (musl, macOS, Windows) nothing is done.
/// </summary>
internal static class MallocArenas
{
    private const int MArenaMax = -8;
    private const int Arenas = 2;

    /// <summary>Applies the cap; called first in Program.cs, before the host starts its threads.</summary>
    public static void Limit()
    {
        if (!OperatingSystem.IsLinux()
            || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null
            || Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is not null)
        {
            return;
        }

        try
        {
            _ = Mallopt(MArenaMax, Arenas);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (Alpine's musl has no arenas to cap).
        }
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Mallopt(int param, int value);
}
