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
#include <sys/resource.h>
int main() {
    int raised = 0;
    for (int r : {RLIMIT_CPU, RLIMIT_AS, RLIMIT_FSIZE, RLIMIT_NPROC, RLIMIT_STACK}) {
        rlimit l; getrlimit(r, &l);
        if (l.rlim_max == RLIM_INFINITY) continue;
        rlimit up{RLIM_INFINITY, RLIM_INFINITY};
        if (setrlimit(r, &up) == 0) raised++;
    }
    if (raised) { printf("raised %d hard limits\n", raised); return 0; }
    answer();
}
