import java.io.BufferedReader;
import java.io.InputStreamReader;

public class Guess {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        long lo = 1, hi = Long.parseLong(in.readLine().trim());
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            System.out.println("? " + mid);
            System.out.flush();
            String reply = in.readLine().trim();
            if (reply.equals("=")) { lo = hi = mid; break; }
            if (reply.equals("<")) hi = mid - 1; else lo = mid + 1;
        }
        System.out.println("! " + lo);
        System.out.flush();
    }
}
