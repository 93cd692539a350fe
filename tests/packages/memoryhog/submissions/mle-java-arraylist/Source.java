import java.util.ArrayList;
import java.util.List;

// An array list of 1 MiB arrays growing past the heap, which is the memory limit: the JVM's OutOfMemoryError, MLE.
public class Hog {
    public static void main(String[] args) {
        List<int[]> keep = new ArrayList<>();
        while (true) keep.add(new int[1 << 18]);
    }
}
