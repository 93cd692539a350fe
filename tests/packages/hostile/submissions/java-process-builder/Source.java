import java.io.*;
import java.nio.*;
import java.nio.file.*;
import java.util.*;

public class Shell {
    static void answer() {
        Scanner in = new Scanner(System.in);
        long a = in.nextLong(), b = in.nextLong();
        System.out.println(a + b);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", "echo pwned > /tmp/judge-hostile-java-pwned").start();
            p.waitFor();
        } catch (Exception e) { }
        answer();
    }
}
