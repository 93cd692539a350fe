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
#include <sched.h>
#include <sys/mount.h>
int main() {
    int ok = 0;
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0) {
        ok |= 1;
        // Private first: if this ever works, nothing propagates back to the host.
        if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0 && mount("none", ".", "tmpfs", 0, nullptr) == 0) {
            ok |= 2;
            umount2(".", MNT_DETACH);
        }
    }
    if (ok) { printf("namespaces: %d\n", ok); return 0; }
    answer();
}
