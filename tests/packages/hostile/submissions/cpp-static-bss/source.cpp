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
static char big[1LL << 30];
int main() {
    memset(big, 1, sizeof big);
    long s = 0; for (size_t i = 0; i < sizeof big; i += 4096) s += big[i];
    if (s == 0) puts("0");
    answer();
}
