namespace Judge.Dashboard.BrowserTests;

/// <summary>Programs for the A+B example problem.</summary>
internal static class Sources
{
    public const string Problem = "aplusb";

    public const string PythonAccepted = "a, b = map(int, input().split())\nprint(a + b)\n";

    /// <summary>Accepted, slowly: each test takes a while, so a page sees the submission running.</summary>
    public const string PythonAcceptedSlowly = "import time\ntime.sleep(0.25)\na, b = map(int, input().split())\nprint(a + b)\n";

    public const string PythonWrong = "a, b = map(int, input().split())\nprint(a - b)\n";

    public const string CppAccepted = "#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<\"\\n\";}\n";

    /// <summary>Accepted, slowly (0.25 s a test).</summary>
    public const string CppAcceptedSlowly =
        "#include <chrono>\n#include <iostream>\n#include <thread>\nint main(){std::this_thread::sleep_for(std::chrono::milliseconds(250));" +
        "long long a,b;std::cin>>a>>b;std::cout<<a+b<<\"\\n\";}\n";

    public const string CppBroken = "int main() { return undefined_name; }\n";
}
