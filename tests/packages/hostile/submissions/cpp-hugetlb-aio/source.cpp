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
#include <sys/mman.h>
#include <sys/shm.h>
#include <linux/aio_abi.h>
// Memory the cgroup does not charge (huge pages), a host-wide resource (AIO contexts), and NUMA and LDT calls.
int main() {
    void *huge = mmap(nullptr, 2 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
    if (huge != MAP_FAILED) { puts("mapped huge pages"); return 0; }
    if (shmget(IPC_PRIVATE, 2 << 20, IPC_CREAT | 0600 | SHM_HUGETLB) >= 0) { puts("made a huge-page segment"); return 0; }
    if (syscall(SYS_memfd_create, "huge", MFD_HUGETLB) >= 0) { puts("made a huge-page memfd"); return 0; }
    aio_context_t context = 0;
    if (syscall(SYS_io_setup, 128, &context) == 0) { puts("made an AIO context"); return 0; }
    if (syscall(SYS_mbind, 0, 0, 0, 0, 0, 0) == 0 || errno != EPERM) { puts("mbind was not denied"); return 0; }
    if (syscall(SYS_modify_ldt, 0, nullptr, 0) >= 0) { puts("read the LDT"); return 0; }
    answer();
}
