// The deploy tests run Linux programs (kubectl, shellcheck, systemd-analyze, dpkg-query, the images' shell scripts).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
