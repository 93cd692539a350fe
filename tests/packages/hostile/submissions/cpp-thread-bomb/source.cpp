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
static void *sleeper(void *) { for (;;) pause(); return nullptr; }
int main() {
    pthread_attr_t attr; pthread_attr_init(&attr); pthread_attr_setstacksize(&attr, 64 * 1024);
    long created = 0;
    for (; created < 100000; created++) { pthread_t t; if (pthread_create(&t, &attr, sleeper, nullptr) != 0) break; }
    if (created >= 100000) { puts("created 100000 threads"); _exit(0); }
    answer();
    _exit(0);
}
