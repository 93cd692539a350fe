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
    if (argc < 2) { char *args[] = {argv[0], (char *)"hostile-cpu-procs-marker", nullptr}; execv("/proc/self/exe", args); }
    for (int i = 0; i < 6; i++) if (fork() == 0) { volatile unsigned long x = 0; for (;;) x++; }
    volatile unsigned long x = 0; for (;;) x++;
}
