#include <bits/stdc++.h>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
using namespace std;
// Prints the correct answer of the 'hostile' problem (A+B) only when its mount table holds nothing but its own.
static void answer() { long long a, b; cin >> a >> b; cout << a + b << "\n" << flush; }
int main() {
    string found;
    ifstream info("/proc/self/mountinfo");
    string line;
    int work = 0, proc = 0;
    while (getline(info, line)) {
        istringstream f(line);
        string id, parent, dev, root, point;
        f >> id >> parent >> dev >> root >> point;
        if (point == "/work") work++;
        else if (point == "/proc") proc++;
        // the work root (every submission's files, the problem cache) or an earlier run's layers
        if (point.rfind("/.jr", 0) == 0) found += "mount at " + point + "; ";
    }
    if (work != 1) found += to_string(work) + " mounts at /work (an earlier run's overlay under ours); ";
    if (proc != 1) found += to_string(proc) + " mounts at /proc; ";
    // the hidden paths themselves, and other workspaces through them
    for (const char *p : {"/.jr/root", "/.jr/ovl", "/.jr/root/problems", "/.jr/ovl/1/upper"}) {
        int fd = open(p, O_RDONLY | O_DIRECTORY);
        if (fd >= 0) { found += string("opened ") + p + "; "; close(fd); }
    }
    if (DIR *d = opendir("/.jr")) {
        while (dirent *e = readdir(d))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) found += string("/.jr/") + e->d_name + "; ";
        closedir(d);
    }
    if (!found.empty()) {
        cout << "FOUND: " << found << "\n";
        return 0;
    }
    answer();
}
