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
    int a = open("/work/../judge-pwned-dotdot", O_WRONLY | O_CREAT, 0644);
    int b = open("../../../../../../../../judge-pwned-dotdot", O_WRONLY | O_CREAT, 0644);
    if (a >= 0 && b >= 0) { puts("escaped the run directory"); return 0; }
    answer();
}
