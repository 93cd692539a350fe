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
    int fd = open("/tmp/judge-hostile-pwned-tmp", O_WRONLY | O_CREAT, 0644);
    if (fd >= 0) { write(fd, "x", 1); close(fd); }
    answer();
}
