import java.io.*;
import java.nio.*;
import java.nio.file.*;
import java.util.*;

public class WriteEtc {
    static void answer() {
        Scanner in = new Scanner(System.in);
        long a = in.nextLong(), b = in.nextLong();
        System.out.println(a + b);
        System.out.flush();
    }

    public static void main(String[] args) {
        try { Files.writeString(Path.of("/etc/judge-pwned-java"), "pwned"); System.out.println("wrote /etc/judge-pwned-java"); }
        catch (Exception e) { answer(); }
    }
}
