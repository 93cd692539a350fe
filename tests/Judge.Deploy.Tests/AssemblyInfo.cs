// The deploy tests run Linux programs (kubectl, shellcheck, dpkg, the images' shell scripts).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
