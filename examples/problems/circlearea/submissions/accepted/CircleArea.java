import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.Locale;

class CircleArea {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        double r = Double.parseDouble(in.readLine().trim());
        System.out.println(String.format(Locale.ROOT, "%.10f", Math.PI * r * r));
    }
}
