import java.io.*;
import java.nio.*;
import java.nio.file.*;
import java.util.*;

public class Connect {
    static void answer() {
        Scanner in = new Scanner(System.in);
        long a = in.nextLong(), b = in.nextLong();
        System.out.println(a + b);
        System.out.flush();
    }

    public static void main(String[] args) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", 47113), 500);
            System.out.println("connected to the host");
        } catch (Exception e) { answer(); }
    }
}
