using System.Text;
using System.Text.RegularExpressions;

namespace Judge.Engine.Languages;

/// <summary>Finds the class that holds <c>public static void main(String[])</c> in a Java source, and the file name javac needs.</summary>
public static partial class JavaMainClass
{
    /// <summary>What was found: the binary name to run (<c>pkg.Outer$Inner</c>), the file name without extension, or an error.</summary>
    public sealed record Result(string BinaryName, string FileName, string? Error);

    /// <summary>Detects the main class of <paramref name="source"/>.</summary>
    public static Result Find(string source)
    {
        var code = StripCommentsAndLiterals(source);
        var package = PackageDeclaration().Match(code) is { Success: true } p ? Regex.Replace(p.Groups[1].Value, @"\s+", "") : null;
        var types = DeclaredTypes(code);
        var publicTopLevel = types.FirstOrDefault(t => t.Depth == 0 && t.IsPublic);

        var candidates = new List<TypeDeclaration>();
        foreach (Match main in MainMethod().Matches(code))
        {
            var modifiers = main.Groups["mods"].Value;
            if (!Regex.IsMatch(modifiers, @"\bstatic\b") || !Regex.IsMatch(modifiers, @"\bpublic\b"))
                continue;
            // The innermost type whose body contains the method.
            var owner = types.Where(t => t.BodyStart < main.Index && main.Index < t.BodyEnd).MaxBy(t => t.BodyStart);
            if (owner is not null && !candidates.Contains(owner))
                candidates.Add(owner);
        }

        if (candidates.Count == 0)
            return new Result("", "", "no class with a 'public static void main(String[] args)' method was found");

        var chosen = candidates.FirstOrDefault(t => t == publicTopLevel)
            ?? candidates.FirstOrDefault(t => t.Depth == 0)
            ?? candidates[0];
        var fileName = publicTopLevel?.Name ?? chosen.TopLevel.Name;
        var binaryName = (package is null ? "" : package + ".") + chosen.BinaryName;
        return new Result(binaryName, fileName, null);
    }

    private sealed record TypeDeclaration(string Name, bool IsPublic, int Depth, int BodyStart, TypeDeclaration? Outer)
    {
        public int BodyEnd { get; set; } = int.MaxValue;
        public string BinaryName => Outer is null ? Name : Outer.BinaryName + "$" + Name;
        public TypeDeclaration TopLevel => Outer?.TopLevel ?? this;
    }

    // Walks braces, attaching each class/interface/enum/record header to the brace that opens its body.
    private static List<TypeDeclaration> DeclaredTypes(string code)
    {
        var headers = TypeHeader().Matches(code).ToDictionary(m => m.Index);
        var found = new List<TypeDeclaration>();
        var open = new Stack<(int Index, TypeDeclaration? Type)>();
        Match? pending = null;
        for (var i = 0; i < code.Length; i++)
        {
            if (headers.TryGetValue(i, out var header))
                pending = header;
            var c = code[i];
            if (c == '{')
            {
                TypeDeclaration? type = null;
                if (pending is not null)
                {
                    var outer = open.Select(o => o.Type).FirstOrDefault(t => t is not null);
                    type = new TypeDeclaration(pending.Groups["name"].Value,
                        Regex.IsMatch(pending.Groups["mods"].Value, @"\bpublic\b"), outer is null ? 0 : outer.Depth + 1, i, outer);
                    found.Add(type);
                    pending = null;
                }
                open.Push((i, type));
            }
            else if (c == '}' && open.Count > 0)
            {
                var (_, type) = open.Pop();
                if (type is not null)
                    type.BodyEnd = i;
            }
            else if (c == ';')
            {
                pending = null;
            }
        }
        return found;
    }

    /// <summary>Replaces comments, string, text-block and char literals with spaces, keeping offsets and line breaks.</summary>
    internal static string StripCommentsAndLiterals(string source)
    {
        var s = new StringBuilder(source);
        var i = 0;
        while (i < s.Length)
        {
            if (At(source, i, "//"))
                i = Blank(s, i, source.IndexOf('\n', i) is var e && e < 0 ? s.Length : e);
            else if (At(source, i, "/*"))
                i = Blank(s, i, source.IndexOf("*/", i + 2, StringComparison.Ordinal) is var e && e < 0 ? s.Length : e + 2);
            else if (At(source, i, "\"\"\""))
                i = Blank(s, i, source.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal) is var e && e < 0 ? s.Length : e + 3);
            else if (source[i] is '"' or '\'')
                i = Blank(s, i, EndOfQuoted(source, i));
            else
                i++;
        }
        return s.ToString();
    }

    private static bool At(string text, int index, string token) => string.CompareOrdinal(text, index, token, 0, token.Length) == 0;

    private static int EndOfQuoted(string source, int start)
    {
        var quote = source[start];
        for (var i = start + 1; i < source.Length; i++)
        {
            if (source[i] == '\\') { i++; continue; }
            if (source[i] == quote || source[i] == '\n') return i + 1;
        }
        return source.Length;
    }

    private static int Blank(StringBuilder s, int from, int to)
    {
        for (var i = from; i < to && i < s.Length; i++)
        {
            if (s[i] != '\n') s[i] = ' ';
        }
        return to;
    }

    [GeneratedRegex(@"^\s*package\s+([\w.\s]+?)\s*;", RegexOptions.Multiline)]
    private static partial Regex PackageDeclaration();

    [GeneratedRegex(@"(?<mods>(?:\b(?:public|protected|private|static|final|abstract|sealed|non-sealed|strictfp)\s+)*)\b(?:class|interface|enum|record)\s+(?<name>[A-Za-z_$][\w$]*)")]
    private static partial Regex TypeHeader();

    [GeneratedRegex(@"(?<mods>(?:\b(?:public|protected|private|static|final|synchronized|strictfp)\s+)+)void\s+main\s*\(\s*(?:final\s+)?String\s*(?:\[\s*\]\s*[A-Za-z_$][\w$]*|\.\.\.\s*[A-Za-z_$][\w$]*|[A-Za-z_$][\w$]*\s*\[\s*\])\s*\)")]
    private static partial Regex MainMethod();
}
