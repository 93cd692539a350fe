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
#include <sys/ioctl.h>
#include <termios.h>
int main() {
    int fd = open("/dev/tty", O_RDWR);
    char c = 'x';
    bool typed = (fd >= 0 && ioctl(fd, TIOCSTI, &c) == 0) || ioctl(1, TIOCSTI, &c) == 0 || ioctl(2, TIOCSTI, &c) == 0;
    if (typed) { puts("typed into a terminal"); return 0; }
    answer();
}
