import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.StringTokenizer;

class SumOfList {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in), 1 << 16);
        int n = Integer.parseInt(in.readLine().trim());
        long sum = 0;
        int read = 0;
        while (read < n) {
            StringTokenizer tokens = new StringTokenizer(in.readLine());
            while (tokens.hasMoreTokens()) {
                sum += Long.parseLong(tokens.nextToken());
                read++;
            }
        }
        System.out.println(sum);
    }
}
