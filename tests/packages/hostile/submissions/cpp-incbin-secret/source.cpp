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
__asm__(".section .rodata\n.global stolen\nstolen:\n.incbin \"/tmp/judge-hostile-secret.txt\"\n.byte 0\n.previous\n");
extern "C" const char stolen[];
int main() { printf("%s\n", stolen); }
