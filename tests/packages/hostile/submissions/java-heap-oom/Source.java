import java.io.*;
import java.nio.*;
import java.nio.file.*;
import java.util.*;

public class HeapBomb {
    static void answer() {
        Scanner in = new Scanner(System.in);
        long a = in.nextLong(), b = in.nextLong();
        System.out.println(a + b);
        System.out.flush();
    }

    public static void main(String[] args) {
        List<long[]> keep = new ArrayList<>();
        // 128 MiB at a time: the heap overflows in a few allocations. With 8 MiB arrays the JVM spent about 0.9 s of
        // CPU (page faults and collections) before its OutOfMemoryError, so a loaded machine turned MLE into TLE.
        while (true) keep.add(new long[1 << 24]);
    }
}
