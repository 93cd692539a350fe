import java.io.*;
import java.nio.*;
import java.nio.file.*;
import java.util.*;

public class ThreadBomb {
    static void answer() {
        Scanner in = new Scanner(System.in);
        long a = in.nextLong(), b = in.nextLong();
        System.out.println(a + b);
        System.out.flush();
    }

    public static void main(String[] args) {
        int n = 0;
        try {
            for (; n < 100000; n++) {
                Thread t = new Thread(null, () -> { try { Thread.sleep(Long.MAX_VALUE); } catch (InterruptedException e) { } }, "t", 64 * 1024);
                t.setDaemon(true);
                t.start();
            }
        } catch (Throwable e) {
            answer();
            System.exit(0);
        }
        System.out.println("created " + n + " threads");
        System.exit(0);
    }
}
