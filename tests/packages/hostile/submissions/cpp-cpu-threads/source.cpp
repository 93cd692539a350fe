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
static void *spin(void *) { volatile unsigned long x = 0; for (;;) x++; return nullptr; }
int main() {
    // Small explicit stacks: the default thread stack is RLIMIT_STACK (as large as the memory limit).
    pthread_attr_t attr; pthread_attr_init(&attr); pthread_attr_setstacksize(&attr, 1 << 20);
    pthread_t ts[8];
    for (auto &t : ts) if (pthread_create(&t, &attr, spin, nullptr) != 0) { puts("pthread_create failed"); return 0; }
    for (auto &t : ts) pthread_join(t, nullptr);
}
