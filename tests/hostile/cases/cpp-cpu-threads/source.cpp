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
#include <thread>
int main() {
    vector<thread> ts;
    for (int i = 0; i < 8; i++) ts.emplace_back([] { volatile unsigned long x = 0; for (;;) x++; });
    for (auto &t : ts) t.join();
}
