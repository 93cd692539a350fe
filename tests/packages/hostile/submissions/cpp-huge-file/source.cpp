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
    int fd = open("huge.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    static char buf[1 << 20]; memset(buf, 'h', sizeof buf);
    for (int i = 0; i < 4096; i++) if (write(fd, buf, sizeof buf) < 0) return 1;  // 4 GiB
    answer();
}
