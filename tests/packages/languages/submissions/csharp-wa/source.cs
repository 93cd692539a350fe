// 32-bit sums: wrong once the sum passes 2^31 - 1.
using System;
class Program
{
    static void Main()
    {
        var t = Console.In.ReadToEnd().Split((char[])null, StringSplitOptions.RemoveEmptyEntries);
        Console.WriteLine(unchecked(int.Parse(t[0]) + int.Parse(t[1])));
    }
}
