using Judge.Engine.Checkers;
using Judge.Engine.Problems;

namespace Judge.Engine.UnitTests.Problems;

/// <summary>The packages bundled under examples/problems load with the limits and flags they promise.</summary>
public sealed class ExampleProblemsTests
{
    private static readonly string ExamplesRoot = Repository.ExampleProblems;

    [Fact]
    public void Every_example_package_loads()
    {
        var catalog = new ProblemCatalog(ExamplesRoot);

        Assert.Empty(catalog.Errors);
        Assert.Equal(["aplusb", "circlearea", "groups", "guess", "triangle"], catalog.Problems.Select(problem => problem.Id));
        Assert.All(catalog.Problems, problem =>
        {
            Assert.NotEmpty(problem.Tests);
            Assert.StartsWith("sample/", problem.Tests[0].Name);
            Assert.Contains(problem.Tests, test => test.Group.StartsWith("secret", StringComparison.Ordinal));
            Assert.Equal((TimeSpan.FromSeconds(1), 256L << 20, 8L << 20, "problem.yaml limits.time_limit"),
                (problem.Limits.TimeLimit, problem.Limits.MemoryBytes, problem.Limits.OutputBytes, problem.Limits.TimeLimitSource));
        });
    }

    [Theory]
    [InlineData("aplusb", "A Plus B")]
    [InlineData("circlearea", "Circle Area")]
    [InlineData("groups", "Sum of a List")]
    [InlineData("guess", "Guess the Number")]
    [InlineData("triangle", "Triangle Numbers")]
    public void Example_has_its_name(string id, string name) =>
        Assert.Equal(name, ProblemLoader.Load(Path.Combine(ExamplesRoot, id)).Name);

    [Fact]
    public void Circle_area_compares_with_a_tolerance()
    {
        var problem = ProblemLoader.Load(Path.Combine(ExamplesRoot, "circlearea"));

        Assert.Equal(new ValidatorFlags { AbsoluteTolerance = 1e-6, RelativeTolerance = 1e-6 }, problem.ValidatorFlags);
    }

    [Theory]
    [InlineData("aplusb")]
    [InlineData("groups")]
    public void Integer_examples_use_the_default_validator(string id) =>
        Assert.Same(ValidatorFlags.Default, ProblemLoader.Load(Path.Combine(ExamplesRoot, id)).ValidatorFlags);

    [Fact]
    public void Guess_is_interactive_with_a_python_interactor()
    {
        var problem = ProblemLoader.Load(Path.Combine(ExamplesRoot, "guess"));

        Assert.Equal(ValidationMode.Interactive, problem.Validation);
        Assert.Equal((ProgramKind.Python, "interactor.py"), (problem.OutputValidator!.Kind, problem.OutputValidator.Sources.Single()));
    }

    [Fact]
    public void Groups_has_nested_small_and_large_groups()
    {
        var problem = ProblemLoader.Load(Path.Combine(ExamplesRoot, "groups"));

        Assert.Equal(["sample", "secret/group1-small", "secret/group2-large"], problem.Tests.Select(test => test.Group).Distinct());
        Assert.All(problem.Tests, test => Assert.True(new FileInfo(test.InputPath).Length < 1_500_000));
    }

    [Fact]
    public async Task Example_answers_accept_themselves()
    {
        foreach (var problem in new ProblemCatalog(ExamplesRoot).Problems)
        {
            var validator = new DefaultValidator(problem.ValidatorFlags);
            foreach (var test in problem.Tests)
            {
                Assert.Equal(CheckOutcome.Accepted, await validator.CheckAsync(new CheckRequest(test.InputPath, test.AnswerPath, test.AnswerPath)));
            }
        }
    }

    [Theory]
    [InlineData("aplusb", "accepted")]
    [InlineData("aplusb", "wrong_answer")]
    [InlineData("circlearea", "accepted")]
    [InlineData("circlearea", "wrong_answer")]
    [InlineData("groups", "accepted")]
    [InlineData("groups", "wrong_answer")]
    [InlineData("groups", "time_limit_exceeded")]
    [InlineData("guess", "accepted")]
    [InlineData("guess", "wrong_answer")]
    public void Example_has_reference_submissions(string id, string verdict)
    {
        var folder = Path.Combine(ExamplesRoot, id, "submissions", verdict);
        var extensions = Directory.GetFiles(folder).Select(Path.GetExtension).ToHashSet();

        Assert.Contains(".py", extensions);
        if (verdict == "accepted")
        {
            Assert.Contains(".cpp", extensions);
            Assert.Contains(".java", extensions);
        }
    }
}
