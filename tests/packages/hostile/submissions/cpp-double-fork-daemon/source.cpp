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
    if (argc >= 2) { for (int i = 0; i < 20; i++) sleep(1); return 0; }  // the daemon: lives 20 s at most
    pid_t p = fork();
    if (p == 0) {
        setsid();
        if (fork() == 0) {
            for (int fd = 0; fd < 3; fd++) close(fd);
            char *args[] = {argv[0], (char *)"hostile-daemon-marker", nullptr};
            execv("/proc/self/exe", args);
            _exit(1);
        }
        _exit(0);
    }
    waitpid(p, nullptr, 0);
    answer();
}
