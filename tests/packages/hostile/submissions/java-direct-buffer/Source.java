import java.io.*;
import java.nio.*;
import java.nio.file.*;
import java.util.*;

public class OffHeap {
    static void answer() {
        Scanner in = new Scanner(System.in);
        long a = in.nextLong(), b = in.nextLong();
        System.out.println(a + b);
        System.out.flush();
    }

    public static void main(String[] args) {
        List<ByteBuffer> keep = new ArrayList<>();
        while (true) keep.add(ByteBuffer.allocateDirect(16 << 20));
    }
}
