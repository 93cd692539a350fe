namespace Judge.Engine.Problems;

/// <summary>Reads a Kattis/ICPC problem package directory.</summary>
public static class ProblemLoader
{
    /// <summary>Loads and validates the package in <paramref name="directory"/>.</summary>
    /// <exception cref="ProblemFormatException">The package is malformed; the message names the problem and the file.</exception>
    public static Problem Load(string directory) => throw new NotImplementedException();
}
