import java.util.ArrayList;
import java.util.List;
import java.util.Scanner;

// Modest memory (a million boxed integers) under 256 MiB: the JVM starts (the address space it reserves is not
// charged, and not capped) and the answer is accepted.
public class Modest {
    public static void main(String[] args) {
        List<Integer> xs = new ArrayList<>();
        for (int i = 0; i < 1_000_000; i++) xs.add(i);
        Scanner in = new Scanner(System.in);
        long a = in.nextLong(), b = in.nextLong();
        System.out.println(a + b + xs.get(0));
    }
}
