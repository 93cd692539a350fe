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
int main(int argc, char **argv) {
    // Re-exec with a marker in argv so leftovers can be found in /proc/*/cmdline.
    if (argc < 2) { char *args[] = {argv[0], (char *)"hostile-forkbomb-marker", nullptr}; execv("/proc/self/exe", args); }
    for (;;) fork();
}
