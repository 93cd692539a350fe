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
#include <sys/socket.h>
// Sockets of families a program never needs: vsock reaches the host past the network namespace; netlink, packet,
// alg, bluetooth and appletalk talk to the kernel or load modules of rarely used protocols.
int main() {
    const int families[] = { 40 /* AF_VSOCK */, AF_NETLINK, AF_PACKET, 38 /* AF_ALG */, 31 /* AF_BLUETOOTH */, 5 /* AF_APPLETALK */ };
    const int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET };
    for (int family : families)
        for (int type : types) {
            int fd = socket(family, type, 0);
            if (fd >= 0) { printf("opened a socket of family %d, type %d\n", family, type); return 0; }
        }
    answer();
}
