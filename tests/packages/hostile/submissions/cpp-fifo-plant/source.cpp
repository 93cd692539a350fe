#include <bits/stdc++.h>
#include <unistd.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
using namespace std;
// Prints the correct answer of the 'hostile' problem (A+B).
static void answer() { long long a, b; cin >> a >> b; cout << a + b << "\n" << flush; }
int main() {
    mkfifo("0.out", 0666);
    mkfifo("fifo", 0666);
    mknod("dev-null-copy", S_IFCHR | 0666, makedev(1, 3));
    answer();
}
