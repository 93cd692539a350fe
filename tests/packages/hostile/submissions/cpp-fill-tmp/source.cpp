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
int main() {
    signal(SIGXFSZ, SIG_IGN);
    static char buf[1 << 20]; memset(buf, 't', sizeof buf);
    long long total = 0; bool full = false;
    for (int n = 0; !full && total < (4LL << 30); n++) {
        string name = "/tmp/judge-hostile-fill-" + to_string(n);
        int fd = open(name.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0) break;
        for (int i = 0; i < 32; i++) {
            ssize_t w = write(fd, buf, sizeof buf);
            if (w < 0) { if (errno == ENOSPC) full = true; break; }
            total += w;
        }
        close(fd);
    }
    if (!full) { printf("wrote %lld bytes to /tmp without ENOSPC\n", total); return 0; }
    answer();
}
