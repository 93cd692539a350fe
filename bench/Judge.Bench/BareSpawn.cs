using System.Runtime.InteropServices;

namespace Judge.Bench;

/// <summary>The baseline: posix_spawn + waitpid from this process, stdin from a file, stdout to /dev/null.</summary>
internal static unsafe partial class BareSpawn
{
    private const int ORdOnly = 0, OWrOnly = 1;

    public static int Run(string program, string[] args, string stdinPath) => RunTimed(program, args, stdinPath).Status;

    /// <summary>As <see cref="Run"/>, with the CPU time (user + system) of the child that <c>wait4</c> reports.</summary>
    public static (int Status, double CpuMs) RunTimed(string program, string[] args, string stdinPath)
    {
        var actions = stackalloc byte[256]; // posix_spawn_file_actions_t is 80 bytes in glibc
        Check(posix_spawn_file_actions_init(actions), "file_actions_init");
        try
        {
            Check(posix_spawn_file_actions_addopen(actions, 0, stdinPath, ORdOnly, 0), "addopen stdin");
            Check(posix_spawn_file_actions_addopen(actions, 1, "/dev/null", OWrOnly, 0), "addopen stdout");
            var argv = new IntPtr[args.Length + 2];
            argv[0] = Marshal.StringToHGlobalAnsi(program);
            for (var i = 0; i < args.Length; i++) argv[i + 1] = Marshal.StringToHGlobalAnsi(args[i]);
            var envp = new IntPtr[] { Marshal.StringToHGlobalAnsi("PATH=/usr/bin:/bin"), IntPtr.Zero };
            try
            {
                int pid;
                fixed (IntPtr* a = argv, e = envp)
                    Check(posix_spawn(&pid, program, actions, null, a, e), "posix_spawn");
                int status;
                var usage = stackalloc long[18]; // struct rusage: ru_utime and ru_stime (timeval: seconds, microseconds) first
                while (wait4(pid, &status, 0, usage) < 0) { }
                return (status, (usage[0] + usage[2]) * 1000.0 + (usage[1] + usage[3]) / 1000.0);
            }
            finally
            {
                foreach (var p in argv) if (p != IntPtr.Zero) Marshal.FreeHGlobal(p);
                Marshal.FreeHGlobal(envp[0]);
            }
        }
        finally
        {
            posix_spawn_file_actions_destroy(actions);
        }
    }

    private static void Check(int result, string what)
    {
        if (result != 0) throw new InvalidOperationException($"{what} failed: {result}");
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn(int* pid, string path, byte* fileActions, void* attr, IntPtr* argv, IntPtr* envp);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_init(byte* actions);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_destroy(byte* actions);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn_file_actions_addopen(byte* actions, int fd, string path, int flags, int mode);

    [LibraryImport("libc")]
    private static partial int wait4(int pid, int* status, int options, long* usage);
}
