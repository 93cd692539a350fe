// A package declaration, as DOMjudge accepts (javac -d . puts the class in solution/aplusb/): run as solution.aplusb.Sum.
package solution.aplusb;

import java.util.Scanner;

public class Sum {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        System.out.println(in.nextLong() + in.nextLong());
    }
}
