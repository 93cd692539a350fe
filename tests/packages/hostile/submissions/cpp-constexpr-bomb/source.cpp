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
constexpr unsigned long long spin() {
    unsigned long long s = 0;
    for (int i = 0; i < 200000; i++) for (int j = 0; j < 200000; j++) s += i ^ j;
    return s;
}
constexpr unsigned long long value = spin();
int main() { if (value == 1) puts("?"); answer(); }
