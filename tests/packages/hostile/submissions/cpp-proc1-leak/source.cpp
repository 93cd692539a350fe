#include <bits/stdc++.h>
#include <unistd.h>
#include <sys/wait.h>
using namespace std;
// Prints the correct answer of the 'hostile' problem (A+B) only when it sees nothing of earlier runs.
static void answer() { long long a, b; cin >> a >> b; cout << a + b << "\n" << flush; }
int main() {
    // PID 1's CPU time (its own and its reaped children's: earlier runs', the compiler's, possibly other contestants')
    string leaks;
    ifstream stat("/proc/1/stat");
    string line;
    getline(stat, line);
    size_t paren = line.rfind(')');
    if (paren != string::npos) {
        istringstream rest(line.substr(paren + 2));
        vector<string> f;
        string x;
        while (rest >> x) f.push_back(x);
        // fields 14..17 of the line: utime, stime, cutime, cstime (clock ticks); f[0] is field 3
        long long ticks = 0;
        for (int i = 11; i <= 14 && i < (int)f.size(); i++) ticks += atoll(f[i].c_str());
        if (ticks > 3) leaks += "pid 1 used " + to_string(ticks) + " ticks; ";
    }
    // PID numbers count the processes earlier runs made in the namespace
    if (getpid() > 2) leaks += "my pid is " + to_string(getpid()) + "; ";
    ifstream loadavg("/proc/loadavg");
    string l1, l5, l15, running, last;
    if (loadavg >> l1 >> l5 >> l15 >> running >> last && atoi(last.c_str()) > 10) leaks += "last pid " + last + "; ";
    // then be CPU-heavy and fork-heavy, for the next run in this slot to see (it must not)
    for (int i = 0; i < 8; i++)
        if (fork() == 0) {
            volatile unsigned long long s = 0;
            for (unsigned long long k = 0; k < 10000000ULL; k++) s += k;
            _exit(0);
        }
    while (wait(nullptr) > 0) {}
    if (!leaks.empty()) {
        cout << "LEAK: " << leaks << "\n";
        return 0;
    }
    answer();
}
