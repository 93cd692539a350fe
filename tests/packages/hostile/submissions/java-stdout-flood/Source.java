import java.io.*;
import java.nio.*;
import java.nio.file.*;
import java.util.*;

public class Flood {
    static void answer() {
        Scanner in = new Scanner(System.in);
        long a = in.nextLong(), b = in.nextLong();
        System.out.println(a + b);
        System.out.flush();
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false);
        char[] line = new char[4095]; Arrays.fill(line, 'z'); String s = new String(line);
        while (true) out.println(s);
    }
}
