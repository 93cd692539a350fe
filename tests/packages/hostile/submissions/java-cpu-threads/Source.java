import java.io.*;
import java.nio.*;
import java.nio.file.*;
import java.util.*;

public class Spin {
    static void answer() {
        Scanner in = new Scanner(System.in);
        long a = in.nextLong(), b = in.nextLong();
        System.out.println(a + b);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 8; i++) new Thread(() -> { long x = 0; while (true) x++; }).start();
        Thread.sleep(Long.MAX_VALUE);
    }
}
