using System.Collections.Generic;
class Program
{
    static void Main()
    {
        var xs = new List<long[]>();
        for (;;) xs.Add(new long[1 << 16]);
    }
}
