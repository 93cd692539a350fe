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
int main(int argc, char **argv) {
    if (argc >= 2) { time_t end = time(nullptr) + 20; volatile unsigned long x = 0; while (time(nullptr) < end) x++; return 0; }
    if (fork() == 0) {
        setsid(); setpgid(0, 0);
        for (int fd = 0; fd < 3; fd++) close(fd);
        char *args[] = {argv[0], (char *)"hostile-escapee-marker", nullptr};
        execv("/proc/self/exe", args);
        _exit(1);
    }
    answer();
}
