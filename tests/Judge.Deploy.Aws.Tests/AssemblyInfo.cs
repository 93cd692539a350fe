using System.Runtime.CompilerServices;

// The jsii runtime behind the CDK serves one .NET thread at a time: test classes run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
// The test helpers every test project shares (tests/Shared) set Unix file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Judge.Deploy.Aws.Tests;

internal static class JsiiQuiet
{
    /// <summary>jsii warns on every Node.js release it was not tested with, or that is past its end of life; the app works on Debian's.</summary>
    [ModuleInitializer]
    internal static void SilenceNodeVersionWarnings()
    {
        Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1");
        Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1");
    }
}
