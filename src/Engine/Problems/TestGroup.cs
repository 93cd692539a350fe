namespace Judge.Engine.Problems;

/// <summary>A directory of test data (<c>data</c>, <c>data/secret</c>, <c>data/secret/group1</c>, ...) with its settings,
/// its own tests and its subgroups, each ordered by name.</summary>
/// <param name="Name">The path under <c>data/</c> (<c>secret/group1</c>); <c>""</c> for <c>data</c> itself.</param>
public sealed record TestGroup(string Name, GroupSettings Settings, IReadOnlyList<TestGroupChild> Children)
{
    /// <summary>A group with no tests.</summary>
    public static TestGroup Empty { get; } = new("", GroupSettings.Default, []);

    /// <summary>Every test of the group and its subgroups, in judging order.</summary>
    public IEnumerable<TestCase> AllTests() => Children.SelectMany(child => child.Group?.AllTests() ?? [child.Test!]);

    /// <summary>Every group of the tree, this one first.</summary>
    public IEnumerable<TestGroup> AllGroups() => Children.Where(c => c.Group is not null).SelectMany(c => c.Group!.AllGroups()).Prepend(this);
}

/// <summary>One child of a test group: a test or a subgroup.</summary>
public sealed record TestGroupChild(TestCase? Test, TestGroup? Group)
{
    public string Name => Test?.Name ?? Group!.Name;
}

/// <summary>What to do with the rest of a group once one of its tests or subgroups is rejected.</summary>
public enum OnReject
{
    /// <summary>Skip the rest of the group (SK).</summary>
    Break,

    /// <summary>Judge the rest of the group anyway.</summary>
    Continue,
}

/// <summary>How a group's score is made from its children's scores.</summary>
public enum ScoreAggregation
{
    /// <summary>The sum of the children's scores.</summary>
    Sum,

    /// <summary>All or nothing: the group's maximum times the lowest fraction any child got.</summary>
    Min,
}

/// <summary>The settings of a test group from <c>testdata.yaml</c> or <c>test_group.yaml</c>; inherited settings already applied.</summary>
public sealed record GroupSettings
{
    /// <summary>Inherited by subgroups.</summary>
    public OnReject OnReject { get; init; } = OnReject.Break;

    /// <summary>Inherited by subgroups.</summary>
    public ScoreAggregation Aggregation { get; init; } = ScoreAggregation.Sum;

    /// <summary>The most points this group gives (scoring problems); <c>null</c>: derived from its children. Not inherited.</summary>
    public double? MaxScore { get; init; }

    /// <summary>Points of an accepted test when no group above sets a maximum (legacy <c>accept_score</c>). Inherited.</summary>
    public double AcceptScore { get; init; } = 1;

    /// <summary>Groups (paths under <c>data/</c>) whose every test must be accepted for this group to score. Not inherited.</summary>
    public IReadOnlyList<string> RequirePass { get; init; } = [];

    /// <summary>Output validator arguments of this group and its ancestors, space-separated. Inherited and appended to.</summary>
    public string ValidatorFlags { get; init; } = "";

    public static GroupSettings Default { get; } = new();
}
