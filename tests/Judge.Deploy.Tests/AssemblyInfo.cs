// The EC2 tests run Linux tools (systemd-analyze, shellcheck, dpkg-query, bash) and set Unix file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
