using System.Text.Json;

namespace Judge.Silo.EndToEndTests;

/// <summary>Real compilers, real runs, through HTTP: every basic verdict in C++, Python and Java on the A+B example.</summary>
[Collection(JudgeServerCollection.Name)]
public class VerdictsEndToEndTests(JudgeServer server)
{
    public static TheoryData<string, string, string, string?> Cases => new()
    {
        // language, expected verdict, source, expected substring of compileOutput or of the failing test's message
        { "cpp17", "AC", "#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<\"\\n\";}", null },
        { "cpp17", "WA", "#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a-b<<\"\\n\";}", null },
        { "cpp17", "TLE", "int main(){volatile unsigned long long x=0; for(;;) x++;}", null },
        { "cpp17", "RE", "#include <cstdlib>\nint main(){ return 3; }", "exit code 3" },
        { "cpp17", "RE", "#include <iostream>\n#include <cstdlib>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<std::endl; std::abort();}", "SIGABRT" },
        { "cpp17", "CE", "int main(){ return undeclared_name; }", "undeclared_name" },

        { "python3", "AC", "a, b = map(int, input().split())\nprint(a + b)\n", null },
        { "python3", "WA", "a, b = map(int, input().split())\nprint(a * b + 1)\n", null },
        { "python3", "TLE", "while True:\n    pass\n", null },
        { "python3", "RE", "import sys\nsys.exit(3)\n", "exit code 3" },
        { "python3", "RE", "a, b = map(int, input().split())\nprint(a + b, flush=True)\nraise RuntimeError('after the answer')\n", "exit code 1" },
        { "python3", "CE", "print('unclosed'\n", "SyntaxError" },

        { "java", "AC", "import java.util.*;\npublic class Sum { public static void main(String[] a) { Scanner s = new Scanner(System.in); System.out.println(s.nextLong() + s.nextLong()); } }", null },
        { "java", "WA", "import java.util.*;\nclass Main { public static void main(String[] a) { System.out.println(42); } }", null },
        { "java", "TLE", "public class Spin { public static void main(String[] a) { long x = 0; while (true) { x++; } } }", null },
        { "java", "RE", "public class Exit { public static void main(String[] a) { System.exit(3); } }", "exit code 3" },
        { "java", "RE", "import java.util.*;\npublic class Late { public static void main(String[] a) { Scanner s = new Scanner(System.in); System.out.println(s.nextLong() + s.nextLong()); System.out.flush(); throw new IllegalStateException(\"after the answer\"); } }", "exit code 1" },
        { "java", "CE", "public class Broken { public static void main(String[] a) { int x = \"text\"; } }", "incompatible types" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Submission_gets_the_expected_verdict(string language, string verdict, string source, string? detail)
    {
        var submission = await server.JudgeAsync("aplusb", language, source);

        Assert.Equal("finished", submission.GetProperty("status").GetString());
        Assert.Equal(verdict, submission.GetProperty("verdict").GetString());
        var tests = submission.GetProperty("tests").EnumerateArray().ToList();

        if (verdict == "CE")
        {
            Assert.Empty(tests);
            Assert.Contains(detail!, submission.GetProperty("compileOutput").GetString());
            return;
        }

        Assert.NotEmpty(tests);
        Assert.Equal(submission.GetProperty("testCount").GetInt32(), tests.Count);
        var ran = tests.TakeWhile(t => t.GetProperty("verdict").GetString() != "SK").ToList();
        Assert.All(ran.SkipLast(1), t => Assert.Equal("AC", t.GetProperty("verdict").GetString()));
        var last = ran[^1];
        Assert.Equal(verdict, last.GetProperty("verdict").GetString());
        Assert.All(tests.Skip(ran.Count), t => Assert.Equal("SK", t.GetProperty("verdict").GetString()));
        if (verdict == "AC")
            Assert.Equal(tests.Count, ran.Count);

        foreach (var test in ran)
        {
            Assert.True(test.GetProperty("wallMs").GetInt64() >= 0);
            Assert.True(test.GetProperty("memoryKb").GetInt64() > 0, $"peak memory is measured: {test}");
            Assert.False(string.IsNullOrEmpty(test.GetProperty("name").GetString()));
        }
        if (verdict == "TLE")
            Assert.True(last.GetProperty("timeMs").GetInt64() >= 1000, $"a TLE reports the time measured past the 1 s limit: {last}");
        if (detail is not null)
            Assert.Contains(detail, last.GetProperty("message").GetString());
        Assert.Equal(verdict == "AC" ? 1 : 0, submission.GetProperty("score").GetDouble());
        Assert.True(submission.GetProperty("timeMs").GetInt64() >= 0);
        Assert.True(submission.GetProperty("finishedAt").GetDateTimeOffset() >= submission.GetProperty("createdAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Float_answers_within_tolerance_are_accepted_and_rounded_ones_are_not()
    {
        var exact = await server.JudgeAsync("circlearea", "python3", "import math\nr = float(input())\nprint(f'{math.pi * r * r:.10f}')\n");
        Assert.Equal("AC", exact.GetProperty("verdict").GetString());
        var rounded = await server.JudgeAsync("circlearea", "python3", "import math\nr = float(input())\nprint(f'{math.pi * r * r:.1f}')\n");
        Assert.Equal("WA", rounded.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task Tests_run_samples_first_then_secret_groups_in_name_order()
    {
        var submission = await server.JudgeAsync("groups", "cpp17", ReadAccepted("groups", ".cpp"));
        Assert.Equal("AC", submission.GetProperty("verdict").GetString());
        var names = submission.GetProperty("tests").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToList();
        Assert.StartsWith("sample/", names[0]);
        var firstSecret = names.FindIndex(n => n.StartsWith("secret/"));
        Assert.True(firstSecret > 0);
        Assert.All(names.Take(firstSecret), n => Assert.StartsWith("sample/", n));
        Assert.All(names.Skip(firstSecret), n => Assert.StartsWith("secret/", n));
        Assert.Equal(names.Take(firstSecret).Order(StringComparer.Ordinal), names.Take(firstSecret));
        Assert.Equal(names.Skip(firstSecret).Order(StringComparer.Ordinal), names.Skip(firstSecret));
        Assert.True(names.Skip(firstSecret).Select(n => n.Split('/')[1]).Distinct().Count() >= 2, "several secret groups");
    }

    [Theory]
    [InlineData("aplusb")]
    [InlineData("circlearea")]
    [InlineData("groups")]
    [InlineData("guess")]
    [InlineData("triangle")]
    public async Task Bundled_accepted_solutions_are_accepted_in_every_language(string problem)
    {
        foreach (var (extension, language) in new[] { (".cpp", "cpp17"), (".py", "python3"), (".java", "java") })
        {
            var submission = await server.JudgeAsync(problem, language, ReadAccepted(problem, extension));
            Assert.True(submission.GetProperty("verdict").GetString() == "AC", $"{problem} {language}: {submission}");
        }
    }

    [Fact]
    public async Task Scoring_problem_reports_points_of_the_groups_passed()
    {
        var overflow = File.ReadAllText(Path.Combine(Repository.ExampleProblems, "triangle", "submissions", "wrong_answer", "overflow.cpp"));
        var partial = await server.JudgeAsync("triangle", "cpp17", overflow);

        Assert.Equal("WA", partial.GetProperty("verdict").GetString());
        Assert.Equal(30, partial.GetProperty("score").GetDouble());
        Assert.Equal(100, partial.GetProperty("maxScore").GetDouble());
        var tests = partial.GetProperty("tests").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.Equal(1, tests["secret/group1-small/02"].GetProperty("score").GetDouble());
        Assert.Equal("WA", tests["secret/group2-large/01"].GetProperty("verdict").GetString());
        Assert.Equal(0, tests["secret/group2-large/01"].GetProperty("score").GetDouble());
        Assert.Equal("WA", tests["secret/group2-large/02"].GetProperty("verdict").GetString()); // scoring problems judge every group

        var full = await server.JudgeAsync("triangle", "python3", ReadAccepted("triangle", ".py"));
        Assert.Equal(100, full.GetProperty("score").GetDouble());
    }

    [Fact]
    public async Task Run_all_judges_every_test_after_a_failure()
    {
        const string wrong = "print(0)\n";
        var stopped = await server.JudgeAsync("aplusb", "python3", wrong);
        Assert.Contains(stopped.GetProperty("tests").EnumerateArray(), t => t.GetProperty("verdict").GetString() == "SK");
        Assert.Equal(JsonValueKind.Null, stopped.GetProperty("tests")[0].GetProperty("score").ValueKind);
        Assert.Equal(1, stopped.GetProperty("maxScore").GetDouble());

        var all = await server.JudgeAsync(new { problem = "aplusb", language = "python3", source = wrong, runAll = true });
        Assert.Equal("WA", all.GetProperty("verdict").GetString());
        Assert.DoesNotContain(all.GetProperty("tests").EnumerateArray(), t => t.GetProperty("verdict").GetString() == "SK");
        Assert.Equal(stopped.GetProperty("testCount").GetInt32(), all.GetProperty("tests").GetArrayLength());
    }

    private static string ReadAccepted(string problem, string extension)
    {
        var dir = Path.Combine(Repository.ExampleProblems, problem, "submissions", "accepted");
        return File.ReadAllText(Directory.EnumerateFiles(dir, "*" + extension).Order(StringComparer.Ordinal).First());
    }
}
