using System;
class Program
{
    static void Main()
    {
        var t = Console.In.ReadToEnd().Split((char[])null, StringSplitOptions.RemoveEmptyEntries);
        var xs = new long[] { long.Parse(t[0]), long.Parse(t[1]) };
        Console.WriteLine(xs[xs[0] + xs[1]]);
    }
}
