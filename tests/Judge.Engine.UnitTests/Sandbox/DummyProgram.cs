using System.Diagnostics;

namespace Judge.Engine.UnitTests.Sandbox;

/// <summary>Compiles <c>dummy.c</c> once per test class: a controllable program to run in the sandbox.</summary>
public sealed class DummyProgram : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("judge-dummy-").FullName;

    public DummyProgram()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Sandbox", "dummy.c");
        ExecutablePath = Path.Combine(_dir, "dummy");
        var start = new ProcessStartInfo("/usr/bin/gcc") { RedirectStandardError = true };
        foreach (var arg in new[] { "-O1", "-Wall", "-Werror", "-pthread", "-o", ExecutablePath, source })
        {
            start.ArgumentList.Add(arg);
        }

        using var gcc = Process.Start(start)!;
        var errors = gcc.StandardError.ReadToEnd();
        gcc.WaitForExit();
        if (gcc.ExitCode != 0)
        {
            throw new InvalidOperationException($"gcc failed to compile {source}: {errors}");
        }
    }

    /// <summary>The absolute path of the compiled dummy.</summary>
    public string ExecutablePath { get; }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
