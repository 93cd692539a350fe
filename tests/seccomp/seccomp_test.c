/* Checks the sandbox's seccomp filter (src/Engine/Sandbox/Linux/native/seccomp.c).
 *
 * Every check runs in its own forked child that drops to an unprivileged uid (when started as root),
 * sets no_new_privs, installs the filter and then tries one thing. The parent reads the child's fate:
 * exit 0 means the check held. One "PASS name" or "FAIL name: why" line per check; exit code 1 on any failure.
 * Denied calls are made with arguments that would fail harmlessly even if the filter let them through. */
#define _GNU_SOURCE
#include "seccomp.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <grp.h>

#define UNPRIVILEGED_ID 65534
#define BAD_POINTER ((long)1)

static char scratch_dir[] = "/tmp/judge-seccomp-XXXXXX";
static int failures;

/* ---- helpers run inside the child ---- */

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

/* Expects the raw system call to fail with errno want. */
static int expect_errno(const char *what, long result, int want)
{
    if (result == -1 && errno == want)
        return 0;
    return fail("%s returned %ld errno %d (%s), want -1 errno %d (%s)", what, result, result == -1 ? errno : 0,
                result == -1 ? strerror(errno) : "-", want, strerror(want));
}

#define DENIED(nr, ...) expect_errno(#nr, syscall(nr, __VA_ARGS__), EPERM)

static void enter_filter(void)
{
    if (getuid() == 0) {
        if (setgroups(0, NULL) != 0 || setgid(UNPRIVILEGED_ID) != 0 || setuid(UNPRIVILEGED_ID) != 0) {
            perror("dropping to an unprivileged uid");
            _exit(3);
        }
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        perror("PR_SET_NO_NEW_PRIVS");
        _exit(3);
    }
    char err[256];
    if (judge_seccomp_install(err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        _exit(3);
    }
}

/* Runs argv (already under the inherited filter) with output to a log, and expects exit code 0. */
static int run_program(char *const argv[])
{
    pid_t pid = fork();
    if (pid < 0)
        return fail("fork: %s", strerror(errno));
    if (pid == 0) {
        if (chdir(scratch_dir) != 0)
            _exit(126);
        int log = open("program.log", O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (log >= 0) {
            dup2(log, 1);
            dup2(log, 2);
        }
        char *env[] = { "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "LANG=C.UTF-8", NULL };
        execve(argv[0], argv, env);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return fail("waitpid: %s", strerror(errno));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    if (WIFSIGNALED(status))
        return fail("%s killed by signal %d (see %s/program.log)", argv[0], WTERMSIG(status), scratch_dir);
    return fail("%s exited %d (see %s/program.log)", argv[0], WEXITSTATUS(status), scratch_dir);
}

/* ---- denied calls ---- */

static int check_keys(void)
{
    return DENIED(SYS_add_key, BAD_POINTER, BAD_POINTER, BAD_POINTER, 0L, 0L)
        | DENIED(SYS_request_key, BAD_POINTER, BAD_POINTER, BAD_POINTER, 0L)
        | DENIED(SYS_keyctl, -1L, 0L, 0L, 0L, 0L);
}

static int check_io_uring(void)
{
    return DENIED(SYS_io_uring_setup, 0L, BAD_POINTER)
        | DENIED(SYS_io_uring_enter, -1L, 0L, 0L, 0L, 0L, 0L)
        | DENIED(SYS_io_uring_register, -1L, 0L, 0L, 0L);
}

static int check_process_access(void)
{
    return DENIED(SYS_ptrace, 0L /* PTRACE_TRACEME */, 0L, 0L, 0L)
        | DENIED(SYS_ptrace, 16L /* PTRACE_ATTACH */, (long)getppid(), 0L, 0L)
        | DENIED(SYS_process_vm_readv, (long)getppid(), BAD_POINTER, 1L, BAD_POINTER, 1L, 0L)
        | DENIED(SYS_process_vm_writev, (long)getppid(), BAD_POINTER, 1L, BAD_POINTER, 1L, 0L)
        | DENIED(SYS_kcmp, (long)getpid(), (long)getppid(), 0L, 0L, 0L)
        | DENIED(SYS_pidfd_getfd, -1L, 0L, 0L);
}

static int check_perf_bpf(void)
{
    return DENIED(SYS_perf_event_open, BAD_POINTER, 0L, -1L, -1L, 0L)
        | DENIED(SYS_bpf, 0L, BAD_POINTER, 0L);
}

static int check_mounts(void)
{
    return DENIED(SYS_mount, BAD_POINTER, BAD_POINTER, BAD_POINTER, 0L, 0L)
        | DENIED(SYS_umount2, BAD_POINTER, 0L)
        | DENIED(SYS_pivot_root, BAD_POINTER, BAD_POINTER)
        | DENIED(SYS_chroot, BAD_POINTER)
        | DENIED(SYS_move_mount, -1L, BAD_POINTER, -1L, BAD_POINTER, 0L)
        | DENIED(SYS_open_tree, -1L, BAD_POINTER, 0L)
        | DENIED(SYS_fsopen, BAD_POINTER, 0L)
        | DENIED(SYS_fsconfig, -1L, 0L, 0L, 0L, 0L)
        | DENIED(SYS_fsmount, -1L, 0L, 0L)
        | DENIED(SYS_fspick, -1L, BAD_POINTER, 0L)
        | DENIED(SYS_mount_setattr, -1L, BAD_POINTER, 0L, BAD_POINTER, 0L);
}

static int check_namespaces(void)
{
    return DENIED(SYS_unshare, (long)CLONE_NEWUSER)
        | DENIED(SYS_unshare, 0L)
        | DENIED(SYS_setns, -1L, 0L);
}

/* clone with a namespace flag: if the filter failed and the kernel allowed it, the new child leaves at once. */
static int clone_with(unsigned long flags)
{
    long r = syscall(SYS_clone, flags | SIGCHLD, 0L, 0L, 0L, 0L);
    if (r == 0)
        _exit(0);
    if (r > 0)
        waitpid((pid_t)r, NULL, 0);
    char what[64];
    snprintf(what, sizeof what, "clone(0x%lx)", flags);
    return expect_errno(what, r, EPERM);
}

static int check_clone_namespaces(void)
{
    static const unsigned long flags[] = {
        CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET,
        0x00000080 /* CLONE_NEWTIME */, CLONE_NEWUSER | CLONE_NEWNS,
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
        bad |= clone_with(flags[i]);
    return bad;
}

static int check_clone3(void)
{
    return expect_errno("clone3", syscall(SYS_clone3, BAD_POINTER, 88L), ENOSYS);
}

static int check_system_admin(void)
{
    return DENIED(SYS_kexec_load, 0L, 0L, BAD_POINTER, 0L)
        | DENIED(SYS_kexec_file_load, -1L, -1L, 0L, BAD_POINTER, 0L)
        | DENIED(SYS_init_module, BAD_POINTER, 0L, BAD_POINTER)
        | DENIED(SYS_finit_module, -1L, BAD_POINTER, 0L)
        | DENIED(SYS_delete_module, BAD_POINTER, 0L)
        | DENIED(SYS_reboot, 0L, 0L, 0L, 0L) /* bad magic: EINVAL if it ever got through */
        | DENIED(SYS_swapon, BAD_POINTER, 0L)
        | DENIED(SYS_swapoff, BAD_POINTER)
        | DENIED(SYS_acct, BAD_POINTER)
        | DENIED(SYS_quotactl, 0L, BAD_POINTER, 0L, BAD_POINTER)
        | DENIED(SYS_quotactl_fd, -1L, 0L, 0L, BAD_POINTER)
        | DENIED(SYS_open_by_handle_at, -1L, BAD_POINTER, 0L)
        | DENIED(SYS_name_to_handle_at, -1L, BAD_POINTER, BAD_POINTER, BAD_POINTER, 0L)
        | DENIED(SYS_userfaultfd, 0L)
        | DENIED(SYS_lookup_dcookie, 0L, BAD_POINTER, 0L)
        | DENIED(SYS_fanotify_init, 0L, 0L)
        | DENIED(SYS_syslog, 3L /* SYSLOG_ACTION_READ_ALL */, BAD_POINTER, 0L)
        | DENIED(SYS_vhangup, 0L)
        | DENIED(SYS_iopl, 3L)
        | DENIED(SYS_ioperm, 0L, 1L, 1L);
}

static int check_personality(void)
{
    int bad = DENIED(SYS_personality, 0x0400000L /* READ_IMPLIES_EXEC */);
    bad |= DENIED(SYS_personality, 0x0040000L /* ADDR_NO_RANDOMIZE */);
    if (syscall(SYS_personality, 0xffffffffL) == -1)
        bad |= fail("personality query denied: %s", strerror(errno));
    if (syscall(SYS_personality, 0L) == -1)
        bad |= fail("personality(PER_LINUX) denied: %s", strerror(errno));
    return bad;
}

static int check_socket_families(void)
{
    /* AF_VSOCK, AF_NETLINK, AF_PACKET, AF_BLUETOOTH, AF_ALG, AF_X25, AF_APPLETALK: none a program needs */
    static const long refused[] = { 40, 16, 17, 31, 38, 9, 5 };
    int bad = 0, pair[2];
    char what[64];
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        snprintf(what, sizeof what, "socket(%ld)", refused[i]);
        bad |= expect_errno(what, syscall(SYS_socket, refused[i], (long)SOCK_DGRAM, 0L), EAFNOSUPPORT);
        snprintf(what, sizeof what, "socketpair(%ld)", refused[i]);
        bad |= expect_errno(what, syscall(SYS_socketpair, refused[i], (long)SOCK_DGRAM, 0L, (long)pair), EAFNOSUPPORT);
    }
    static const int allowed[] = { AF_INET, AF_INET6, AF_UNIX };
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
        int s = socket(allowed[i], SOCK_STREAM, 0);
        if (s < 0)
            bad |= fail("socket(%d) denied: %s", allowed[i], strerror(errno));
        else
            close(s);
    }
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0)
        bad |= fail("socketpair(AF_UNIX) denied: %s", strerror(errno));
    return bad;
}

static int check_huge_pages(void)
{
    int bad = expect_errno("mmap(MAP_HUGETLB)",
                           (long)syscall(SYS_mmap, 0L, 2L << 20, (long)(PROT_READ | PROT_WRITE),
                                         (long)(MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB), -1L, 0L), EPERM);
    bad |= expect_errno("shmget(SHM_HUGETLB)", syscall(SYS_shmget, (long)IPC_PRIVATE, 2L << 20, (long)(IPC_CREAT | 0600 | SHM_HUGETLB)), EPERM);
    bad |= expect_errno("memfd_create(MFD_HUGETLB)", syscall(SYS_memfd_create, (long)"huge", (long)MFD_HUGETLB), EPERM);
    /* the same calls without huge pages still work */
    void *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        bad |= fail("plain mmap denied: %s", strerror(errno));
    else
        munmap(p, 1 << 20);
    int fd = (int)syscall(SYS_memfd_create, (long)"plain", 0L);
    if (fd < 0)
        bad |= fail("plain memfd_create denied: %s", strerror(errno));
    else
        close(fd);
    return bad;
}

static int check_memory_placement_and_aio(void)
{
    int bad = DENIED(SYS_io_setup, 1L, BAD_POINTER);
    bad |= DENIED(SYS_mbind, 0L, 0L, 0L, 0L, 0L, 0L);
    bad |= DENIED(SYS_move_pages, 0L, 0L, 0L, 0L, 0L, 0L);
    bad |= DENIED(SYS_migrate_pages, 0L, 0L, 0L, 0L);
    bad |= DENIED(SYS_modify_ldt, 0L, BAD_POINTER, 0L);
    return bad;
}

static int check_terminal_ioctls(void)
{
    /* fd -1: if the filter let it through the kernel would answer EBADF, never touch a terminal. */
    int bad = expect_errno("ioctl(TIOCSTI)", syscall(SYS_ioctl, -1L, 0x5412L, BAD_POINTER), EPERM);
    bad |= expect_errno("ioctl(TIOCLINUX)", syscall(SYS_ioctl, -1L, 0x541CL, BAD_POINTER), EPERM);
    /* High bits set: the kernel truncates the request to 32 bits, so must the filter. */
    bad |= expect_errno("ioctl(0x100000000|TIOCSTI)", syscall(SYS_ioctl, -1L, 0x100005412L, BAD_POINTER), EPERM);
    /* Other requests go through (EBADF from the kernel). */
    bad |= expect_errno("ioctl(FIONREAD)", syscall(SYS_ioctl, -1L, (long)FIONREAD, BAD_POINTER), EBADF);
    return bad;
}

static int check_x32(void)
{
    return expect_errno("x32 getpid", syscall(0x40000000L | 39L), EPERM);
}

/* The i386 ABI: must kill the whole process with SIGSYS (checked by the parent). */
static int check_int80(void)
{
    long ret;
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L /* i386 getpid */) : "memory");
    return fail("int 0x80 returned %ld instead of killing the process", ret);
}

/* ---- things that must keep working ---- */

static int check_fork(void)
{
    pid_t pid = fork();
    if (pid < 0)
        return fail("fork: %s", strerror(errno));
    if (pid == 0)
        _exit(7);
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 7)
        return fail("forked child did not exit 7");
    return 0;
}

static void *thread_body(void *arg)
{
    return (char *)arg + 1;
}

static int check_threads(void)
{
    pthread_t threads[8];
    char base[1];
    for (int i = 0; i < 8; i++) {
        int e = pthread_create(&threads[i], NULL, thread_body, base);
        if (e != 0)
            return fail("pthread_create: %s", strerror(e));
    }
    for (int i = 0; i < 8; i++) {
        void *r;
        pthread_join(threads[i], &r);
        if (r != base + 1)
            return fail("thread returned the wrong value");
    }
    return 0;
}

static int check_exec_true(void)
{
    char *argv[] = { "/bin/true", NULL };
    return run_program(argv);
}

static int check_python(void)
{
    char *argv[] = { "/usr/bin/python3", "-c", "import threading, subprocess, os; print(sum(range(10)))", NULL };
    return run_program(argv);
}

static int check_java(void)
{
    char *argv[] = { "/usr/bin/java", "-XX:+UseSerialGC", "-version", NULL };
    return run_program(argv);
}

static int check_gpp(void)
{
    char source[512];
    snprintf(source, sizeof source, "%s/hello.cpp", scratch_dir);
    FILE *f = fopen(source, "w");
    if (!f)
        return fail("writing %s: %s", source, strerror(errno));
    fputs("#include <iostream>\n#include <thread>\nint main(){std::thread t([]{});t.join();std::cout<<\"hi\\n\";}\n", f);
    fclose(f);
    char *compile[] = { "/usr/bin/g++", "-O2", "-std=gnu++17", "-pthread", "-o", "hello", "hello.cpp", NULL };
    if (run_program(compile))
        return 1;
    char binary[512];
    snprintf(binary, sizeof binary, "%s/hello", scratch_dir);
    char *run[] = { binary, NULL };
    return run_program(run);
}

static int check_javac(void)
{
    char source[512];
    snprintf(source, sizeof source, "%s/Hello.java", scratch_dir);
    FILE *f = fopen(source, "w");
    if (!f)
        return fail("writing %s: %s", source, strerror(errno));
    fputs("public class Hello { public static void main(String[] a) throws Exception {"
          " Thread t = new Thread(() -> {}); t.start(); t.join(); System.out.println(\"hi\"); } }\n", f);
    fclose(f);
    char *compile[] = { "/usr/bin/javac", "-J-XX:+UseSerialGC", "-d", ".", "Hello.java", NULL };
    if (run_program(compile))
        return 1;
    char *run[] = { "/usr/bin/java", "-XX:+UseSerialGC", "-cp", ".", "Hello", NULL };
    return run_program(run);
}

/* ---- the parent ---- */

/* Runs the built program on one call (a small classic-BPF interpreter of the instructions the builder uses). */
static unsigned filter_result(const struct sock_fprog *prog, const struct seccomp_data *data)
{
    unsigned a = 0;
    for (unsigned pc = 0, steps = 0; pc < prog->len && steps <= prog->len; steps++) {
        const struct sock_filter *f = &prog->filter[pc];
        switch (f->code) {
        case BPF_LD | BPF_W | BPF_ABS:
            if (f->k + 4 > sizeof *data)
                return 0xffffffffu;
            memcpy(&a, (const char *)data + f->k, 4);
            pc++;
            break;
        case BPF_JMP | BPF_JEQ | BPF_K: pc += 1 + (a == f->k ? f->jt : f->jf); break;
        case BPF_JMP | BPF_JGE | BPF_K: pc += 1 + (a >= f->k ? f->jt : f->jf); break;
        case BPF_JMP | BPF_JSET | BPF_K: pc += 1 + ((a & f->k) ? f->jt : f->jf); break;
        case BPF_RET | BPF_K: return f->k;
        default: return 0xfffffffeu; /* an instruction this check does not know */
        }
    }
    return 0xfffffffdu; /* ran off the end */
}

/* The filter's search over call numbers sends each number where it belongs: every number from 0 to 1023, with all
 * arguments 0, is denied exactly when it is in the table (EPERM), clone3 answers ENOSYS, socket and socketpair of
 * family 0 EAFNOSUPPORT, and everything else (clone, mmap, ioctl, personality... with harmless arguments included) is
 * allowed; with the x32 bit every number is EPERM, and another architecture kills. */
static int check_every_number(void)
{
    struct sock_fprog prog;
    char err[256];
    if (judge_seccomp_build(&prog, err, sizeof err) != 0)
        return fail("build: %s", err);
    const int *denied;
    size_t count = judge_seccomp_denied_calls(&denied);
    int wrong = 0;
    for (unsigned nr = 0; nr < 1024; nr++) {
        struct seccomp_data data;
        memset(&data, 0, sizeof data);
        data.arch = AUDIT_ARCH_X86_64;
        data.nr = (int)nr;
        unsigned want = SECCOMP_RET_ALLOW;
        for (size_t i = 0; i < count; i++)
            if ((unsigned)denied[i] == nr)
                want = SECCOMP_RET_ERRNO | EPERM;
        if (nr == SYS_clone3)
            want = SECCOMP_RET_ERRNO | ENOSYS;
        if (nr == SYS_socket || nr == SYS_socketpair)
            want = SECCOMP_RET_ERRNO | EAFNOSUPPORT;
        unsigned got = filter_result(&prog, &data);
        if (got != want && wrong++ < 5)
            fail("call %u: the filter returns %#x, not %#x", nr, got, want);
        data.nr = (int)(nr | 0x40000000u);
        if ((got = filter_result(&prog, &data)) != (SECCOMP_RET_ERRNO | EPERM) && wrong++ < 5)
            fail("x32 call %u: the filter returns %#x, not EPERM", nr, got);
        data.nr = (int)nr;
        data.arch = AUDIT_ARCH_I386;
        if ((got = filter_result(&prog, &data)) != SECCOMP_RET_KILL_PROCESS && wrong++ < 5)
            fail("i386 call %u: the filter returns %#x, not a kill", nr, got);
    }
    return wrong == 0 ? 0 : -1;
}

enum fate { EXITS_ZERO, KILLED_BY_SIGSYS };

/* Whether this kernel runs the i386 system call ABI at all: some hosts boot with IA-32 emulation off, and then
 * `int 0x80` raises SIGSEGV before any seccomp filter sees it, in a process without a filter too. */
static int ia32_emulation(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        long ret;
        __asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L /* i386 getpid */) : "memory");
        _exit(0);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return 1; /* unknown: keep the strict expectation */
    return !(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
}

static void run_check(const char *name, int (*check)(void), enum fate want)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        printf("FAIL %s: fork: %s\n", name, strerror(errno));
        failures++;
        return;
    }
    if (pid == 0) {
        enter_filter();
        _exit(check() == 0 ? 0 : 1);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid) {
        printf("FAIL %s: waitpid: %s\n", name, strerror(errno));
        failures++;
        return;
    }
    int ok;
    if (want == KILLED_BY_SIGSYS)
        ok = WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS;
    else
        ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (ok) {
        printf("PASS %s\n", name);
    } else {
        failures++;
        if (WIFSIGNALED(status))
            printf("FAIL %s: killed by signal %d\n", name, WTERMSIG(status));
        else
            printf("FAIL %s: exit code %d%s\n", name, WEXITSTATUS(status),
                   WEXITSTATUS(status) == 3 ? " (could not install the filter)" : "");
    }
    fflush(stdout);
}

int main(void)
{
    if (!mkdtemp(scratch_dir) || chmod(scratch_dir, 0777) != 0) {
        perror("scratch directory");
        return 2;
    }

    run_check("every call number goes where the filter's table says", check_every_number, EXITS_ZERO);
    run_check("keyring calls denied (add_key, request_key, keyctl)", check_keys, EXITS_ZERO);
    run_check("io_uring denied", check_io_uring, EXITS_ZERO);
    run_check("process access denied (ptrace, process_vm_*, kcmp, pidfd_getfd)", check_process_access, EXITS_ZERO);
    run_check("perf_event_open and bpf denied", check_perf_bpf, EXITS_ZERO);
    run_check("mount family denied", check_mounts, EXITS_ZERO);
    run_check("unshare and setns denied", check_namespaces, EXITS_ZERO);
    run_check("clone with namespace flags denied", check_clone_namespaces, EXITS_ZERO);
    run_check("clone3 answers ENOSYS", check_clone3, EXITS_ZERO);
    run_check("system administration calls denied", check_system_admin, EXITS_ZERO);
    run_check("personality changes denied, query allowed", check_personality, EXITS_ZERO);
    run_check("socket families other than UNIX, INET and INET6 refused", check_socket_families, EXITS_ZERO);
    run_check("huge pages denied (mmap, shmget, memfd_create), plain mappings allowed", check_huge_pages, EXITS_ZERO);
    run_check("io_setup, mbind, move_pages, migrate_pages and modify_ldt denied", check_memory_placement_and_aio, EXITS_ZERO);
    run_check("TIOCSTI and TIOCLINUX denied, other ioctls allowed", check_terminal_ioctls, EXITS_ZERO);
    run_check("x32 system calls denied", check_x32, EXITS_ZERO);
    if (ia32_emulation())
        run_check("int 0x80 (i386 ABI) kills with SIGSYS", check_int80, KILLED_BY_SIGSYS);
    else
        printf("PASS int 0x80 (i386 ABI) cannot reach the kernel: IA-32 emulation is off (SIGSEGV without a filter too)\n");
    run_check("fork works", check_fork, EXITS_ZERO);
    run_check("threads work", check_threads, EXITS_ZERO);
    run_check("execve /bin/true works", check_exec_true, EXITS_ZERO);
    run_check("python3 runs", check_python, EXITS_ZERO);
    run_check("java -version runs", check_java, EXITS_ZERO);
    run_check("g++ compiles and runs a threaded hello world", check_gpp, EXITS_ZERO);
    run_check("javac compiles and java runs a threaded hello world", check_javac, EXITS_ZERO);

    if (failures == 0) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch_dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", scratch_dir);
    }
    printf("%s: %d check(s) failed\n", failures ? "FAIL" : "PASS", failures);
    return failures ? 1 : 0;
}
