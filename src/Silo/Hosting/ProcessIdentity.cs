using System.Runtime.InteropServices;

namespace Microsoft.Extensions.Hosting;

/// <summary>Who this process runs as, from the kernel (not from the environment, which a caller controls).</summary>
internal static class ProcessIdentity
{
    /// <summary>Whether the effective uid is 0.</summary>
    public static bool IsRoot => OperatingSystem.IsLinux() && NativeMethods.geteuid() == 0;

    private static class NativeMethods
    {
        [DllImport("libc", ExactSpelling = true)]
        public static extern uint geteuid();
    }
}
