import java.io.*;
import java.nio.*;
import java.nio.file.*;
import java.util.*;

public class Deep {
    static void answer() {
        Scanner in = new Scanner(System.in);
        long a = in.nextLong(), b = in.nextLong();
        System.out.println(a + b);
        System.out.flush();
    }

    static int f(int n) { return f(n + 1) + 1; }
    public static void main(String[] args) { System.out.println(f(0)); }
}
