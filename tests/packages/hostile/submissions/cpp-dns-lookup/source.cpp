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
#include <netdb.h>
int main() {
    addrinfo *r = nullptr;
    if (getaddrinfo("example.com", "80", nullptr, &r) == 0 && r) { puts("resolved example.com"); return 0; }
    answer();
}
