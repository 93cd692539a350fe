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
extern char **environ;
int main() {
    if (const char *s = getenv("JUDGE_HOSTILE_SECRET")) { printf("getenv: %s\n", s); return 0; }
    int fd = open("/proc/self/environ", O_RDONLY);
    static char buf[1 << 16];
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (n > 0 && memmem(buf, n, "JUDGE_HOSTILE_SECRET", 20)) { fwrite(buf, 1, n, stdout); return 0; }
    answer();
}
