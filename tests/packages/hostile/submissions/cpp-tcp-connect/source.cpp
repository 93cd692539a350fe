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
#include <arpa/inet.h>
int main() {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{}; a.sin_family = AF_INET; a.sin_port = htons(47113); a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s >= 0 && connect(s, (sockaddr *)&a, sizeof a) == 0) { puts("connected to the host"); return 0; }
    answer();
}
