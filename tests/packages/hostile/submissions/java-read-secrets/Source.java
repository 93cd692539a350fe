import java.io.*;
import java.nio.*;
import java.nio.file.*;
import java.util.*;

public class Secrets {
    static void answer() {
        Scanner in = new Scanner(System.in);
        long a = in.nextLong(), b = in.nextLong();
        System.out.println(a + b);
        System.out.flush();
    }

    public static void main(String[] args) {
        List<String> found = new ArrayList<>();
        if (System.getenv("JUDGE_HOSTILE_SECRET") != null) found.add("env: " + System.getenv("JUDGE_HOSTILE_SECRET"));
        for (String p : new String[] {"/tmp/judge-hostile-secret.txt", "/etc/shadow"}) {
            try { found.add(p + ": " + Files.readString(Path.of(p))); } catch (Exception e) { }
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : procs) {
                if (!p.getFileName().toString().matches("\\d+")) continue;
                try { if (new String(Files.readAllBytes(p.resolve("environ"))).contains("JUDGE_HOSTILE_SECRET=")) found.add("environ of " + p); }
                catch (Exception e) { }
            }
        } catch (Exception e) { }
        if (found.isEmpty()) answer(); else found.forEach(System.out::println);
    }
}
