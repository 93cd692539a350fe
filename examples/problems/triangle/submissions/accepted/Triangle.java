import java.util.Scanner;

public class Triangle {
    public static void main(String[] args) {
        long n = new Scanner(System.in).nextLong();
        System.out.println(n * (n + 1) / 2);
    }
}
