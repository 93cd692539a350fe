using Judge.Engine.Languages;

namespace Judge.Engine.UnitTests.Languages;

public class JavaMainClassTests
{
    [Fact]
    public void Main_class_need_not_be_called_Main()
    {
        var found = JavaMainClass.Find("public class Solution { public static void main(String[] args) { } }");
        Assert.Null(found.Error);
        Assert.Equal("Solution", found.BinaryName);
        Assert.Equal("Solution", found.FileName);
    }

    [Fact]
    public void Non_public_main_class_with_helper_classes_before_it()
    {
        const string source = """
            import java.util.*;
            class Helper { int f() { return 1; } }
            class Program {
                static public void main(final String... argv) { System.out.println(new Helper().f()); }
            }
            """;
        var found = JavaMainClass.Find(source);
        Assert.Equal("Program", found.BinaryName);
        Assert.Equal("Program", found.FileName);
    }

    [Fact]
    public void File_is_named_after_the_public_class_even_when_main_is_nested()
    {
        const string source = """
            public class Outer {
                static class Inner {
                    public static void main(String args[]) { }
                }
            }
            """;
        var found = JavaMainClass.Find(source);
        Assert.Equal("Outer$Inner", found.BinaryName);
        Assert.Equal("Outer", found.FileName);
    }

    [Fact]
    public void Package_is_part_of_the_name_to_run()
    {
        var found = JavaMainClass.Find("package contest.a;\n\npublic class A { public static void main(String[] a) {} }");
        Assert.Equal("contest.a.A", found.BinaryName);
        Assert.Equal("A", found.FileName);
    }

    [Fact]
    public void Mains_in_comments_and_strings_do_not_count()
    {
        const string source = """
            // class Fake { public static void main(String[] args) {} }
            /* class Fake2 { public static void main(String[] args) {} } */
            public class Real {
                static String s = "class Fake3 { public static void main(String[] args) {} }";
                static char c = '{';
                static String block = \"\"\"
                    class Fake4 { public static void main(String[] args) {} }
                    \"\"\";
                public static void main(String[] args) { System.out.println(s + c); }
            }
            """;
        var found = JavaMainClass.Find(source);
        Assert.Null(found.Error);
        Assert.Equal("Real", found.BinaryName);
    }

    [Fact]
    public void Public_class_main_wins_over_other_mains()
    {
        const string source = """
            class Other { public static void main(String[] args) {} }
            public class Chosen { public static void main(String[] args) {} }
            """;
        Assert.Equal("Chosen", JavaMainClass.Find(source).BinaryName);
    }

    [Fact]
    public void Instance_or_private_main_is_not_an_entry_point()
    {
        var found = JavaMainClass.Find("public class A { void main(String[] a) {} private static void main(String a) {} }");
        Assert.NotNull(found.Error);
        Assert.Contains("main", found.Error);
    }

    [Fact]
    public void Source_without_any_class_gets_a_clear_error()
    {
        var found = JavaMainClass.Find("int x = 1;");
        Assert.Equal("no class with a 'public static void main(String[] args)' method was found", found.Error);
    }

    [Fact]
    public void Generic_class_and_annotations_are_handled()
    {
        const string source = """
            import java.io.*;
            @SuppressWarnings("unchecked")
            public final class Pair<A, B> implements Serializable {
                record Point(int x, int y) { }
                enum Color { RED { }, GREEN }
                public static void main(String[] args) throws IOException { Runnable r = () -> { }; }
            }
            """;
        var found = JavaMainClass.Find(source);
        Assert.Equal("Pair", found.BinaryName);
        Assert.Equal("Pair", found.FileName);
    }
}
