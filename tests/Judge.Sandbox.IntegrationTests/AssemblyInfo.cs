// The sandbox, the seccomp filter and the hostile cases are Linux-only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
