#include <bits/stdc++.h>
using namespace std;
// Prints the correct answer of the 'hostile' problem (A+B) only when every mount it can see carries the flags the
// sandbox promises: read-only except its own writable places, nosuid everywhere, nodev except the device binds. A
// submount under a read-only bind (/usr/lib/..., /lib/modules/... on some hosts) that kept its host flags shows here.
static void answer() { long long a, b; cin >> a >> b; cout << a + b << "\n" << flush; }
static bool has(const string &options, const string &flag) {
    string list = "," + options + ",";
    return list.find("," + flag + ",") != string::npos;
}
int main() {
    static const set<string> writable = {"/work", "/tmp", "/dev/shm", "/proc"};
    string found;
    ifstream info("/proc/self/mountinfo");
    string line;
    int mounts = 0;
    while (getline(info, line)) {
        istringstream f(line);
        string id, parent, dev, root, point, options;
        f >> id >> parent >> dev >> root >> point >> options;
        mounts++;
        bool device = point.rfind("/dev/", 0) == 0 && point != "/dev/shm";
        if (!has(options, "nosuid")) found += point + " lacks nosuid; ";
        if (!device && point != "/dev" && !has(options, "nodev")) found += point + " lacks nodev; ";
        if (!writable.count(point) && !device && !has(options, "ro")) found += point + " is writable; ";
    }
    if (mounts == 0) found += "no mount table; ";
    if (!found.empty()) {
        cout << "FOUND: " << found << "\n";
        return 0;
    }
    answer();
}
