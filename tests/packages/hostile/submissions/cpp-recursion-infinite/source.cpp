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
static int depth(volatile int *p) { volatile int local[16]; local[0] = *p + 1; return depth(local) + local[1]; }
int main() { volatile int x = 0; printf("%d\n", depth(&x)); }
