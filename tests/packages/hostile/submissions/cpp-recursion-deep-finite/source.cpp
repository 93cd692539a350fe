#include <bits/stdc++.h>
#include <unistd.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/syscall.h>
using namespace std;
// Prints the correct answer of the 'hostile' problem (A+B).
static void answer() { long long a, b; cin >> a >> b; cout << a + b << "\n" << flush; }
static long long walk(long long n, volatile char *prev) {
    volatile char frame[32]; frame[0] = prev[0] + 1;
    if (n == 0) return frame[0];
    return walk(n - 1, frame) + frame[0] % 2;
}
int main() {
    volatile char seed[1] = {0};
    long long r = walk(1000000, seed);
    if (r < 0) puts("impossible");
    answer();
}
