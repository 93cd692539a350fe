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
#include <linux/perf_event.h>
int main() {
    int ok = 0;
    char params[120] = {0};
    if (syscall(SYS_io_uring_setup, 4, params) >= 0) ok |= 1;
    if (syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 0) >= 0) ok |= 2;
    perf_event_attr pe{}; pe.size = sizeof pe; pe.type = PERF_TYPE_SOFTWARE; pe.config = PERF_COUNT_SW_CPU_CLOCK;
    if (syscall(SYS_perf_event_open, &pe, 0, -1, -1, 0) >= 0) ok |= 4;
    if (syscall(SYS_bpf, 0, nullptr, 0) >= 0) ok |= 8;
    if (syscall(SYS_userfaultfd, 0) >= 0) ok |= 16;
    if (ok) { printf("kernel objects reachable: %d\n", ok); return 0; }
    answer();
}
