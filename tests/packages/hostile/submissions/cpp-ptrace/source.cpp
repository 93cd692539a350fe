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
#include <sys/ptrace.h>
int main() {
    bool traced = ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) == 0;
    // SEIZE does not stop the parent; leaving detaches it again.
    bool seized = ptrace(PTRACE_SEIZE, getppid(), nullptr, nullptr) == 0;
    if (traced || seized) { printf("ptrace worked: traceme=%d seize=%d\n", traced, seized); return 0; }
    answer();
}
