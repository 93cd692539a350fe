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
    int fd = open("/proc/1/environ", O_RDONLY);
    char buf[4096];
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf) : -1;
    if (n > 0) { fwrite(buf, 1, n, stdout); puts(""); return 0; }
    answer();
}
