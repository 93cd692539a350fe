#include <bits/stdc++.h>
#include <fcntl.h>
#include <mqueue.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>
using namespace std;
// Leaves files and IPC objects behind in every place a run may write, and prints the correct answer of the 'hostile'
// problem (A+B) only when it finds none left by an earlier run: every test starts with an empty /work layer, /tmp,
// /dev/shm and IPC namespace, even when the sandbox reuses a slot's mounts and cgroups for the next test.
static const char *kPlaces[] = { "/work/judge-leftover", "/tmp/judge-leftover", "/dev/shm/judge-leftover",
                                 "/work/.judge-leftover-dir/x", "/tmp/.judge-leftover-dir/x" };
static void answer() { long long a, b; cin >> a >> b; cout << a + b << "\n" << flush; }
int main() {
    string found;
    for (const char *p : kPlaces) {
        struct stat st;
        if (lstat(p, &st) == 0) found += string(p) + "; ";
    }
    if (shmget(0x4a554447, 0, 0) >= 0) found += "SysV shared memory 0x4a554447; ";
    mqd_t q = mq_open("/judge-leftover", O_RDONLY);
    if (q != (mqd_t)-1) { found += "message queue /judge-leftover; "; mq_close(q); }
    // leave everything behind for the next test
    mkdir("/work/.judge-leftover-dir", 0777);
    mkdir("/tmp/.judge-leftover-dir", 0777);
    for (const char *p : kPlaces) {
        int fd = open(p, O_WRONLY | O_CREAT, 0666);
        if (fd >= 0) { if (write(fd, "x", 1) < 0) {} close(fd); }
    }
    shmget(0x4a554447, 4096, IPC_CREAT | 0666);
    mqd_t w = mq_open("/judge-leftover", O_CREAT | O_RDONLY, 0666, nullptr);
    if (w != (mqd_t)-1) mq_close(w);
    if (!found.empty()) {
        cout << "FOUND: " << found << "\n";
        return 0;
    }
    answer();
}
