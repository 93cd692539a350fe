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
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(24L /* i386 getuid */) : "memory");
    printf("i386 getuid returned %ld\n", r);
}
