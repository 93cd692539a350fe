/* A slot: PID 1 of its own PID, mount, network, IPC and UTS namespaces (created by the daemon with clone()).
 *
 * Prepared once: private mounts, a new root on a tmpfs holding only the --ro-bind paths, /dev, /proc, the mount
 * points, and the work root at /.jr/root (in /.jr, mode 0700 root), which the slot uses as overlay lower layer.
 * Per run: /tmp, /dev/shm and the /work layer's tmpfs mounted and a fresh IPC namespace made while idle; the run's
 * init cloned into fresh PID and mount namespaces, sharing the slot's memory (where the work root, the layers and the
 * slot's /proc are detached, and the run's own /proc and /work mounted: "the run's init" below), the program started
 * and supervised,
 * everything killed and reaped, the slot checks it is alone, reports, unmounts, and waits again. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/signalfd.h>
#include <sys/statfs.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <grp.h>
#include <malloc.h>
#include <unistd.h>

#include "rawsys.h"
#include "sandbox.h"
#include "seccomp.h"

#pragma GCC diagnostic ignored "-Wformat-truncation"

/* The new root is staged on a tmpfs mounted over /sys in the slot's private mount namespace (no --ro-bind source
 * may lie under /sys; the daemon rejects it). */
#define NEWROOT "/sys"
#define HIDDEN "/.jr"
#define HIDDEN_ROOT "/.jr/root"
#define HIDDEN_OVL "/.jr/ovl"
#define HIDDEN_PROC "/.jr/proc" /* where a run's init moves the slot's /proc before it detaches /.jr */
#define HIDDEN_WORK "/.jr/w"    /* the /work overlay prepared ahead, of which each run's init mounts a clone */
#define TICK_MS 5
#define CHUNK (64 * 1024)

static int g_sock;
static int g_answer = -1; /* the response pipe, shared with the daemon */
static int g_hostroot = -1;
static int g_workroot = -1; /* after pivot: O_PATH of HIDDEN_ROOT */
static uid_t g_uid;
static long g_client_uid = -1, g_client_gid = -1; /* socket mode: the client, who gets back what a bind run left */
static int g_give_back;                           /* the run's /work is a bind of g_lower, chowned to g_uid */
static int g_cap_last = 63; /* /proc/sys/kernel/cap_last_cap, read once */

/* Memory the slot maps once at its start (the run's init shares the slot's memory, so it allocates nothing itself),
 * all of it at once: the run's init (PID 1 of each run) shows the slot's memory figures in its /proc/1/status, which
 * must not grow with what an earlier run asked or printed. NULL when it cannot be had. */
static void *slot_private(size_t len)
{
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}
static char *g_chunk; /* CHUNK bytes: output on its way from a pipe to a file (slot_private) */

/* Deepens the slot's stack by 128 KiB once, touching every page, so that no later call path grows it. */
static void __attribute__((noinline)) deepen_stack(void)
{
    volatile char pad[128 * 1024];
    for (size_t i = 0; i < sizeof pad; i += 4096)
        pad[i] = 0;
}

/* Makes every page the slot has mapped resident now: a read of each page of every readable mapping (its code and
 * libraries, their data, the stacks of the runs' processes in its .bss, its heap and stack), and a write of the same
 * byte back to each page of every private writable one. PID 1 of a run shows the slot's VmRSS and VmHWM (see
 * slot_private), which would otherwise grow by a page whenever a run made the slot take a code path, or its
 * processes a stack depth, for the first time: a channel from one run to the next. The [vvar] and [vsyscall] pages
 * are the kernel's and are left alone. */
static void touch_every_page(void)
{
    deepen_stack();
    FILE *maps = fopen("/proc/self/maps", "re");
    if (maps == NULL)
        return;
    static char line[PATH_MAX + 128];
    long page = sysconf(_SC_PAGESIZE);
    while (fgets(line, sizeof line, maps) != NULL) {
        unsigned long start, end;
        char perms[5];
        int name = 0;
        if (sscanf(line, "%lx-%lx %4s %*s %*s %*s %n", &start, &end, perms, &name) < 3 || name == 0)
            continue;
        if (perms[0] != 'r' || strstr(line + name, "[vvar") != NULL || strstr(line + name, "[vsyscall]") != NULL)
            continue;
        int write_back = perms[1] == 'w' && perms[3] == 'p';
        for (unsigned long p = start; p < end; p += (unsigned long)page) {
            volatile char *c = (volatile char *)p;
            char v = *c;
            if (write_back)
                *c = v;
        }
    }
    fclose(maps);
}

#define DEFAULT_TMP_BYTES (64LL << 20)
static long long g_tmp_bytes; /* size of the mounted /tmp, /dev/shm and /work layer; 0 when not mounted */

/* /tmp and /dev/shm stay mounted for the next run when the run left them as they were mounted: no inode or block
 * used beyond the empty root, and the root's times unchanged (a run that created, removed or even listed anything
 * there changed them: the next run could learn that from them). Otherwise they are unmounted and mounted anew. Most
 * programs never touch them, and an unmount and mount cost CPU and, waiting for the kernel's RCU grace periods,
 * milliseconds of the slot's time between runs. */
struct scratch {
    const char *path;         /* the tmpfs */
    const char *dir;          /* the directory on it whose times are marked and compared: its root, or the layer's */
    int mounted;              /* mounted and marked, as recorded below */
    struct stat st;           /* that directory when marked */
    unsigned long long files, blocks; /* inodes and blocks in use when mounted */
};
static struct scratch g_scratch[2] = { { .path = "/tmp", .dir = "/tmp" }, { .path = "/dev/shm", .dir = "/dev/shm" } };
static long long g_scratch_bytes; /* their size, while kept */

/* The /work overlay mounted ahead: consecutive runs of one submission use the same directory, so the slot mounts
 * the next run's overlay over the latest run's directory while idle. A request whose directory is that same
 * directory, unchanged since (device, inode, ctime, mtime), uses it; any other request mounts its own on top. */
static int g_lower = -1;               /* the latest run's directory (O_DIRECTORY), kept for the next overlay */
static struct stat g_ahead;            /* that directory when its overlay was mounted ahead */
static int g_ahead_mounted;            /* HIDDEN_WORK holds an overlay over g_lower that no run changed */
static int g_ahead_used;               /* the latest run used the /work prepared ahead (the next run likely will) */
/* The overlay and its layer serve the next run too when the run that used them left them as they were prepared: the
 * layer's upper directory (the overlay's root) with the same inode, mode, owner, link count and times (marked at the
 * epoch when prepared: a run that created, removed, renamed or listed anything there, changed its mode, owner or
 * extended attributes, or touched it, changed one of them), its tmpfs with the same inodes and blocks in use (a file
 * made anywhere in the layer, a copy-up or a whiteout), and the directory below unchanged. A test's program almost never
 * writes to /work; a new overlay per run costs CPU and an RCU grace period when its superblock is freed. */
static int g_work_mounted;             /* HIDDEN_WORK is mounted */
static int g_work_used;                /* the run now ending used it (its request's /work was the one prepared ahead) */
static int g_layer_kept;               /* it stays for the next run, with its layer (unmount_run decided so) */
static long long g_layer_bytes;        /* the kept layer's tmpfs size */
static struct scratch g_layer = { .path = HIDDEN_OVL, .dir = HIDDEN_OVL "/1/upper" }; /* mounted: marked */
static int g_keep = -1;          /* the writable layer's upper directory of a bind-mode run, or -1 */
static long long g_keep_cap;     /* its work_bytes */


static void send_text(int type, const char *fmt, ...)
{
    struct msg_text m;
    memset(&m, 0, sizeof m);
    m.type = (uint32_t)type;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m.text, sizeof m.text, fmt, ap);
    va_end(ap);
    ssize_t ignored = send(g_sock, &m, sizeof m, MSG_NOSIGNAL);
    (void)ignored;
}

static __attribute__((noreturn)) void prep_fail(const char *fmt, ...)
{
    char buf[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    send_text(MSG_FAIL, "%s: %s", buf, strerror(errno));
    _exit(1);
}

static void mkdir_p(const char *path, mode_t mode)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(tmp, mode);
            *p = '/';
        }
    mkdir(tmp, mode);
}

/* host path as seen through the saved host root (immune to what we mount over NEWROOT) */
static void host_path(char *out, size_t len, const char *path)
{
    snprintf(out, len, "%s", path);
}

/* Undoes mountinfo's octal escapes (\040 for a space) in place. */
static void unescape_mountinfo(char *s)
{
    char *out = s;
    for (char *in = s; *in; in++) {
        if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' && in[2] >= '0' && in[2] <= '7' && in[3] >= '0' && in[3] <= '7') {
            *out++ = (char)((in[1] - '0') * 64 + (in[2] - '0') * 8 + (in[3] - '0'));
            in += 3;
        } else {
            *out++ = *in;
        }
    }
    *out = '\0';
}

/* Makes the mount at dst and every mount under it read-only, nosuid and nodev. A remount changes only the top mount:
 * a submount of a bound tree (a separate filesystem under /usr, say) would keep the host's flags and be writable. */
static void readonly_tree(const char *dst, const char *path)
{
    struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV };
    if (mount_setattr(AT_FDCWD, dst, AT_RECURSIVE | AT_SYMLINK_NOFOLLOW, &attr, sizeof attr) == 0)
        return;
    if (errno != ENOSYS)
        prep_fail("make %s read-only with its submounts", path);
    /* Before Linux 5.12: remount each mount of the tree, as mountinfo lists them (parents first). */
    FILE *info = fopen("/proc/self/mountinfo", "re");
    if (!info)
        prep_fail("open /proc/self/mountinfo");
    size_t len = strlen(dst);
    char line[8192];
    while (fgets(line, sizeof line, info)) {
        char *field = line, *mount_point = NULL;
        for (int i = 0; i < 5 && field; i++) {  /* id, parent, major:minor, root, mount point */
            char *space = strchr(field, ' ');
            if (i == 4) {
                if (space)
                    *space = '\0';
                mount_point = field;
            }
            field = space ? space + 1 : NULL;
        }
        if (!mount_point)
            continue;
        unescape_mountinfo(mount_point);
        if (strncmp(mount_point, dst, len) != 0 || (mount_point[len] != '\0' && mount_point[len] != '/'))
            continue;
        if (mount(NULL, mount_point, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) != 0) {
            fclose(info);
            prep_fail("remount read-only %s (under %s)", mount_point, path);
        }
    }
    fclose(info);
}

static void ro_bind(const char *path)
{
    struct stat st;
    char dst[PATH_MAX], src[PATH_MAX];
    snprintf(dst, sizeof dst, NEWROOT "%s", path);
    if (fstatat(g_hostroot, path + 1, &st, AT_SYMLINK_NOFOLLOW) != 0)
        prep_fail("--ro-bind %s", path);
    if (S_ISLNK(st.st_mode)) {
        char target[PATH_MAX];
        ssize_t n = readlinkat(g_hostroot, path + 1, target, sizeof target - 1);
        if (n < 0)
            prep_fail("readlink %s", path);
        target[n] = '\0';
        char parent[PATH_MAX];
        snprintf(parent, sizeof parent, "%s", dst);
        *strrchr(parent, '/') = '\0';
        mkdir_p(parent, 0755);
        if (symlink(target, dst) != 0 && errno != EEXIST)
            prep_fail("symlink %s", dst);
        return;
    }
    if (S_ISDIR(st.st_mode))
        mkdir_p(dst, 0755);
    else {
        char parent[PATH_MAX];
        snprintf(parent, sizeof parent, "%s", dst);
        *strrchr(parent, '/') = '\0';
        mkdir_p(parent, 0755);
        int fd = open(dst, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        if (fd >= 0)
            close(fd);
    }
    host_path(src, sizeof src, path);
    if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) != 0)
        prep_fail("bind %s", path);
    if (mount(NULL, dst, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) != 0)
        prep_fail("remount read-only %s", path);
    readonly_tree(dst, path);
}

/* The host's transparent huge page mode, shown to programs as a copy: two read-only files of the new root, read when
 * the slot is prepared (sysfs itself lies under NEWROOT and is never shown). glibc's malloc reads both before it asks
 * for huge pages (GLIBC_TUNABLES=glibc.malloc.hugetlb=1, which the judge sets for C and C++ runs), and asks for
 * none when it cannot. A host without them shows nothing. */
#define THP_DIR "/sys/kernel/mm/transparent_hugepage"
static const char *const thp_names[] = { "enabled", "hpage_pmd_size" };
struct thp_copy {
    char text[64];
    ssize_t len;
};

static void read_thp(struct thp_copy copy[2])
{
    for (int i = 0; i < 2; i++) {
        char path[128];
        snprintf(path, sizeof path, THP_DIR "/%s", thp_names[i]);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        copy[i].len = fd < 0 ? -1 : read(fd, copy[i].text, sizeof copy[i].text);
        if (fd >= 0)
            close(fd);
    }
}

static void show_thp(const struct thp_copy copy[2])
{
    if (copy[0].len <= 0 || copy[1].len <= 0 || copy[0].len == (ssize_t)sizeof copy[0].text)
        return; /* none, or not what a mode file holds */
    mkdir_p(NEWROOT THP_DIR, 0755);
    for (int i = 0; i < 2; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, NEWROOT THP_DIR "/%s", thp_names[i]);
        int fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0444);
        if (fd < 0 || write(fd, copy[i].text, (size_t)copy[i].len) != copy[i].len)
            prep_fail("write %s", path);
        close(fd);
    }
}

static int prepare_next_run(void);

static void prepare(const struct slot_config *cfg)
{
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
        prep_fail("make mounts private");
    g_hostroot = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (g_hostroot < 0)
        prep_fail("open /");
    struct thp_copy thp[2];
    read_thp(thp); /* before the new root hides the host's /sys */
    if (mount("judge-root", NEWROOT, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755") != 0)
        prep_fail("mount tmpfs root");
    for (int i = 0; i < cfg->n_ro; i++)
        ro_bind(cfg->ro_binds[i]);
    show_thp(thp);

    /* /dev */
    mkdir_p(NEWROOT "/dev", 0755);
    if (mount("judge-dev", NEWROOT "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,mode=0755") != 0)
        prep_fail("mount /dev");
    static const char *const devs[] = { "null", "zero", "full", "random", "urandom" };
    for (size_t i = 0; i < sizeof devs / sizeof devs[0]; i++) {
        char dst[PATH_MAX], src[PATH_MAX], hp[64];
        snprintf(dst, sizeof dst, NEWROOT "/dev/%s", devs[i]);
        snprintf(hp, sizeof hp, "/dev/%s", devs[i]);
        host_path(src, sizeof src, hp);
        int fd = open(dst, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
        if (fd >= 0)
            close(fd);
        if (mount(src, dst, NULL, MS_BIND, NULL) != 0)
            prep_fail("bind /dev/%s", devs[i]);
        if (mount(NULL, dst, NULL, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NOEXEC, NULL) != 0)
            prep_fail("remount /dev/%s", devs[i]);
    }
    if (symlink("/proc/self/fd", NEWROOT "/dev/fd") != 0 || symlink("/proc/self/fd/0", NEWROOT "/dev/stdin") != 0 ||
        symlink("/proc/self/fd/1", NEWROOT "/dev/stdout") != 0 ||
        symlink("/proc/self/fd/2", NEWROOT "/dev/stderr") != 0)
        prep_fail("/dev links");
    mkdir_p(NEWROOT "/dev/shm", 0755);
    if (mount(NULL, NEWROOT "/dev", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NOEXEC, "size=64k,mode=0755") != 0)
        prep_fail("remount /dev read-only");

    /* /proc of our PID namespace */
    mkdir_p(NEWROOT "/proc", 0555);
    if (mount("proc", NEWROOT "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
        prep_fail("mount /proc");

    mkdir_p(NEWROOT "/work", 0755);
    mkdir_p(NEWROOT "/tmp", 01777);
    chmod(NEWROOT "/tmp", 01777);

    /* hidden work root: only root may traverse /.jr. It is a mount of its own, with everything hidden below it, so
     * that a run's init detaches all of it at once: each detach that frees mounts waits for an (expedited) RCU grace
     * period, which interrupts the other CPUs, and a run did three of them. */
    const char *hidden_opts = "size=16k,nr_inodes=16,mode=0700"; /* room for its mount points only */
    mkdir_p(NEWROOT HIDDEN, 0700);
    if (mount("judge-hidden", NEWROOT HIDDEN, "tmpfs", MS_NOSUID | MS_NODEV, hidden_opts) != 0)
        prep_fail("mount " HIDDEN);
    mkdir_p(NEWROOT HIDDEN_ROOT, 0700);
    mkdir_p(NEWROOT HIDDEN_OVL, 0700);
    mkdir_p(NEWROOT HIDDEN_PROC, 0700);
    mkdir_p(NEWROOT HIDDEN_WORK, 0700);
    if (mount(NULL, NEWROOT HIDDEN, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, hidden_opts) != 0)
        prep_fail("remount " HIDDEN " read-only");
    char src[PATH_MAX];
    host_path(src, sizeof src, cfg->work_root);
    if (mount(src, NEWROOT HIDDEN_ROOT, NULL, MS_BIND, NULL) != 0)
        prep_fail("bind the work root %s", cfg->work_root);
    if (mount(NULL, NEWROOT HIDDEN_ROOT, NULL, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV, NULL) != 0)
        prep_fail("remount the work root");
    close(g_hostroot);
    g_hostroot = -1;

    if (chdir(NEWROOT) != 0 || syscall(SYS_pivot_root, ".", ".") != 0)
        prep_fail("pivot_root");
    if (umount2(".", MNT_DETACH) != 0)
        prep_fail("detach the old root");
    if (chdir("/") != 0)
        prep_fail("chdir /");
    if (mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, "size=1m,mode=0755") != 0)
        prep_fail("remount / read-only");
    if (sethostname("judge", 5) != 0)
        prep_fail("sethostname");
    g_workroot = open(HIDDEN_ROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (g_workroot < 0)
        prep_fail("open " HIDDEN_ROOT);
    if (prepare_next_run() != 0)
        prep_fail("mount the first run's /tmp, /dev/shm and /work layer");
}

/* ------------------------------------------------------------------ run */

struct child_failure {
    int stage, error;
    char detail[256];
};
static const char *const stage_names[] = { "joining the run's cgroup", "oom_score_adj", "setsid", "dup2",
                                           "chdir /work", "setrlimit", "capability drop",
                                           "setgroups/setresgid/setresuid", "no_new_privs", "seccomp", "execve" };
enum { ST_CG, ST_OOM, ST_SETSID, ST_DUP2, ST_CHDIR, ST_RLIMIT, ST_CAPS, ST_UID, ST_NNP, ST_SECCOMP, ST_EXEC };

/* ------------------------------------------------------------------ the run's init and the program's process
 *
 * Each run gets fresh PID and mount namespaces: the slot clones the run's init (PID 1 of the new PID namespace, root)
 * while idle, ahead of the request. The init shares the slot's memory (CLONE_VM): no copy of the slot's address
 * space at the clone, no copy-on-write faults after it in either process, and no address space to tear down at the
 * init's exit (a full copy cost the slot about 0.6 ms of CPU per run, and the init's faults and exit as much again).
 * The price is that the init, and the program's process until its execve (which shares the same memory as a vfork
 * child of the init), run while the slot runs on, in the slot's memory. What makes that safe:
 *   - they use only raw system calls (rawsys.h) and functions of this file: nothing that sets errno (the slot's:
 *     they share its thread-local storage), locks, allocates (no stdio, no heap, no mmap) or calls into libc through
 *     the PLT (whose first call resolves the symbol, in the shared memory);
 *   - they run on stacks of their own (g_init_stack, g_prog_stack) and touch no memory of the slot's but their
 *     context (struct init_ctx, g_ictx), which the slot fills before the clone and reads again only once it has
 *     reaped the init; only one init exists at a time (the slot reaps each before it clones the next);
 *   - no untrusted code ever runs in that memory: the program's own code runs only after execve, which gives its
 *     process an address space of its own. Before that the process runs this file's code throughout; its uid change
 *     (while the slot is idle) makes the shared memory non-dumpable, so no process of the run's uid could reach it
 *     through ptrace or /proc/<pid>/mem even if one existed (none does: the slot checked it was alone);
 *   - no process that shares the slot's memory is ever an OOM victim of a run's cgroup (the kernel kills every
 *     process that shares a victim's memory, which would take the slot): the init never enters the run's cgroup,
 *     and the program's process is in it only as a vfork child, which the OOM killer never picks, until its execve.
 *     (So the init no longer needs oom_score_adj -1000, which hosts without CAP_SYS_RESOURCE refuse anyway.)
 * Namespaces, credentials, capabilities, seccomp, rlimits, the umask and signal dispositions are per process (no
 * CLONE_THREAD, CLONE_FS, CLONE_FILES or CLONE_SIGHAND), so nothing the init or the program's process changes there
 * reaches the slot.
 *
 * In its copy of the slot's mount namespace the init detaches what only the slot needs (the work root, the tmpfs of
 * overlay layers, the slot's /proc), mounts a /proc of the new PID namespace and the /work prepared ahead (a detached
 * mount the slot made). So a run sees no process, PID number, CPU time or mount of an earlier run, and nothing of the
 * work root but its own /work. Then it clones the program's process (PID 2) and waits (CLONE_VFORK) until that has
 * exec'd or exited. While the slot is idle, the process moves itself into the run's cgroup (the program is born
 * there), makes itself the host OOM killer's first choice and leaves the slot's session; its capability bounding set
 * is empty already (the slot emptied its own at its start). When the slot's latest run used the /work prepared
 * ahead (consecutive tests of one submission), it also gives up root (groups, gids, uids, the ambient set), sets
 * no_new_privs and loads the seccomp filter (built once by the slot) while idle; otherwise it does that at the
 * request. Then it waits for the request (argv, envp, limits,
 * the standard streams) on the request socket; at the request it installs its standard streams, lowers its rlimits,
 * enters /work and execs. A /work other than the one prepared ahead comes as a detached mount over the control socket.
 * A process that still has root replaces its /work with it itself (the old one is detached first, so no mount lies
 * under the run's /work); a de-privileged one, which can mount nothing, exits at once (it only peeks at the message),
 * and the init, still root, does the same and clones the process again, as PID 2 again (it resets the namespace's
 * last PID). A failure before execve is reported on the status pipe, whose end closes at execve. When the program's process ends, the init ends and reaps
 * whatever else is left in the namespace, sends the wait status to the slot and exits; the namespaces' teardown
 * (its exit) is then off the response path. */

/* The code below, down to start_zygote, runs in the init and the program's process. The compiler must not turn its
 * loops into calls of memset, memcpy or strlen: a call through the PLT may first resolve the symbol, in the shared
 * memory. The string helpers are its own for the same reason; `objdump -d` shows no call from init_entry or
 * exec_program_entry to anything outside this file. */
#pragma GCC push_options
#pragma GCC optimize("no-tree-loop-distribute-patterns")

static size_t raw_strlen(const char *s)
{
    const char *p = s;
    while (*p)
        p++;
    return (size_t)(p - s);
}

static int raw_starts_with(const char *s, const char *prefix)
{
    while (*prefix)
        if (*s++ != *prefix++)
            return 0;
    return 1;
}

static void raw_copy(void *to, const void *from, size_t n)
{
    unsigned char *t = to;
    const unsigned char *f = from;
    while (n--)
        *t++ = *f++;
}

static pid_t g_zygote = -1; /* the next run's init, cloned ahead, or -1 */
static pid_t g_init = -1;   /* the current run's init until the slot has reaped it, or -1 */
static int g_zsock = -1;    /* the slot's end of the request socket to that init */

#define INIT_STEPS 12
/* argv and envp pointers at most: each "arg=" or "env=" field of a request takes at least 5 of its bytes */
#define INIT_VEC_MAX (REQUEST_MAX / 5 + 2)
/* What the init works with (the slot fills it before the clone and reads it again only after reaping the init). */
struct init_ctx {
    struct cg_handles cg; /* the run's cgroup */
    int zc, zsock;        /* the init's ends of the control and request sockets */
    int close_fds[4];     /* the slot's descriptors the init closes: its socket, the response pipe, its socket ends */
    int work_fd;          /* the /work mount prepared ahead (detached), or -1 */
    int workroot, lower;  /* more of the slot's descriptors the init closes, or -1 */
    uid_t uid;
    int deprivilege_ahead;    /* the program's process de-privileges itself before the request (g_ahead_used) */
    struct sock_fprog filter; /* built once by the slot */
    char *msg;                /* MSG_MAX + 4096 bytes: the request */
    char **vec;               /* INIT_VEC_MAX pointers: the program's argv and envp */
    int timing, nsteps;       /* JUDGE_SANDBOX_TIMING: the init's steps, which the slot reports as the init's */
    struct {
        const char *name;
        long long wall, cpu;
    } steps[INIT_STEPS];
    long long mark_wall, mark_cpu;
};

/* What the init hands the program's process (the init waits while the process uses it). */
struct exec_args {
    const struct init_ctx *ctx;
    const struct msg_request *req;
    int fds[4];       /* stdin, stdout, stderr, status */
    int stage, error; /* a failure of the preparation ahead, reported at the request: stage -1 when none */
    const char *detail; /* more about that failure, or "" */
    long long cpu_base; /* the run cgroup's CPU usage just before execve (µs), written by the process; -1 unknown */
    int yield;          /* the process exited, de-privileged, to let the init mount a /work of the request's own */
};

static struct init_ctx g_ictx;
static char g_init_stack[256 * 1024] __attribute__((aligned(16)));
static char g_prog_stack[256 * 1024] __attribute__((aligned(16)));

static long long raw_clock_us(clockid_t clock)
{
    struct timespec ts = { 0, 0 };
    RAW2(SYS_clock_gettime, clock, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void init_mark(struct init_ctx *c)
{
    if (!c->timing)
        return;
    c->mark_wall = raw_clock_us(CLOCK_MONOTONIC);
    c->mark_cpu = raw_clock_us(CLOCK_PROCESS_CPUTIME_ID);
}

static void init_step(struct init_ctx *c, const char *name)
{
    if (!c->timing)
        return;
    long long w = raw_clock_us(CLOCK_MONOTONIC), u = raw_clock_us(CLOCK_PROCESS_CPUTIME_ID);
    if (c->nsteps < INIT_STEPS) {
        c->steps[c->nsteps].name = name;
        c->steps[c->nsteps].wall = w - c->mark_wall;
        c->steps[c->nsteps].cpu = u - c->mark_cpu;
        c->nsteps++;
    }
    c->mark_wall = w;
    c->mark_cpu = u;
}

/* The number in a cgroup file (key NULL), or after "key " at the start of one of its lines; -1 when unreadable. */
static long long raw_read_number(int dir, const char *name, const char *key)
{
    char buf[4096];
    long fd = RAW4(SYS_openat, dir, name, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    long n = RAW3(SYS_read, fd, buf, sizeof buf - 1);
    RAW1(SYS_close, fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    const char *p = buf;
    if (key != NULL) {
        size_t k = raw_strlen(key);
        while (!raw_starts_with(p, key) || p[k] != ' ') {
            while (*p != '\0' && *p != '\n')
                p++;
            if (*p == '\0')
                return -1;
            p++;
        }
        p += k + 1;
    }
    if (*p < '0' || *p > '9')
        return -1;
    long long v = 0;
    while (*p >= '0' && *p <= '9')
        v = v * 10 + (*p++ - '0');
    return v;
}

/* cg_cpu_us (cgroup.c) in raw system calls */
static long long raw_cpu_us(const struct cg_handles *h)
{
    if (h->v2)
        return raw_read_number(h->dir[0], "cpu.stat", "usage_usec");
    long long ns = raw_read_number(h->dir[1], "cpuacct.usage", NULL);
    return ns < 0 ? -1 : ns / 1000;
}

static __attribute__((noreturn)) void child_fail_detail(int fd, int stage, int error, const char *detail)
{
    struct child_failure f;
    f.stage = stage;
    f.error = error;
    size_t n = raw_strlen(detail);
    n = n < sizeof f.detail ? n : sizeof f.detail - 1;
    raw_copy(f.detail, detail, n);
    f.detail[n] = '\0';
    RAW3(SYS_write, fd, &f, sizeof f);
    raw_exit(127);
}

static __attribute__((noreturn)) void child_fail(int fd, int stage, int error)
{
    child_fail_detail(fd, stage, error, "");
}

static long raw_limit(int res, long long cur, long long max)
{
    struct rlimit rl = { .rlim_cur = (rlim_t)cur, .rlim_max = (rlim_t)max };
    return RAW4(SYS_prlimit64, 0, res, &rl, NULL);
}

/* The program's process, in the init's (the slot's) memory until execve: raw system calls only (see above). */
/* What the program's process does while the slot is idle, before the request: nothing of it needs the request, and
 * it keeps the effective capabilities the process may yet need (to mount a request's own /work). */
static void prepare_ahead(struct exec_args *a)
{
    long r = 0;
    /* The program should be the host OOM killer's first choice. Raising one's own score needs no capability; a vfork
     * child's score is its own (the init and the slot, which share its memory, keep theirs). */
    long adj = RAW4(SYS_openat, AT_FDCWD, "/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC, 0);
    if (a->stage < 0 && (adj < 0 || (r = RAW3(SYS_write, adj, "1000", 4)) != 4))
        a->stage = ST_OOM, a->error = adj < 0 ? (int)-adj : r < 0 ? (int)-r : EIO;
    if (adj >= 0)
        RAW1(SYS_close, adj);
    if (a->stage < 0 && (r = RAW0(SYS_setsid)) < 0)
        a->stage = ST_SETSID, a->error = (int)-r;
    RAW1(SYS_umask, 022);
    /* The bounding set is already empty: the slot emptied its own at its start (slot_main), once instead of per run
     * (each drop is a new set of credentials), and every process it clones inherits it. */
}

/* The rest of the de-privileging, also while idle: the process gives up root (groups, gids, uids, the ambient set),
 * sets no_new_privs and loads the seccomp filter. From here on it can mount nothing, so a /work of the request's own
 * is mounted by the init (program_main). Its signal disposition and mask are the program's already. */
static void deprivilege(struct exec_args *a)
{
    const struct init_ctx *c = a->ctx;
    /* SIGPIPE is the only disposition the slot changes (handlers reset at execve anyway); the kernel's sigaction */
    struct {
        void *handler;
        unsigned long flags;
        void *restorer;
        unsigned long mask;
    } dfl = { (void *)SIG_DFL, 0, NULL, 0 };
    RAW4(SYS_rt_sigaction, SIGPIPE, &dfl, NULL, sizeof dfl.mask);
    unsigned long none = 0;
    RAW4(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof none);
    long r = 0;
    if (a->stage < 0 &&
        ((r = RAW2(SYS_setgroups, 0, NULL)) != 0 || (r = RAW3(SYS_setresgid, c->uid, c->uid, c->uid)) != 0 ||
         (r = RAW3(SYS_setresuid, c->uid, c->uid, c->uid)) != 0))
        a->stage = ST_UID, a->error = (int)-r;
    if (a->stage < 0 && (r = RAW5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) != 0)
        a->stage = ST_NNP, a->error = (int)-r;
    if (a->stage < 0 && (r = RAW5(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)) != 0 && r != -EINVAL)
        a->stage = ST_CAPS, a->error = (int)-r;
    RAW2(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL); /* after the uid change, which clears it */
    if (RAW0(SYS_getppid) != 1)
        raw_exit(127);
    if (a->stage < 0) {
        r = RAW3(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &c->filter);
        if (r == -ENOSYS || r == -EINVAL)
            r = RAW5(SYS_prctl, PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &c->filter, 0, 0);
        if (r != 0) {
            a->stage = ST_SECCOMP, a->error = (int)-r;
            a->detail = r == -EACCES ? "installing the filter (set no_new_privs first or hold CAP_SYS_ADMIN)"
                                     : "installing the filter";
        }
    }
}

/* At the request: reports a failure of the preparation ahead, or installs the standard streams, lowers the rlimits,
 * enters /work and execs. */
static __attribute__((noreturn)) void exec_program(struct exec_args *a)
{
    const struct init_ctx *c = a->ctx;
    const struct msg_request *req = a->req;
    int status_fd = a->fds[3];
    long r = 0;
    if (a->stage >= 0)
        child_fail_detail(status_fd, a->stage, a->error, a->detail);

    const struct limits *lim = &req->lim;
    char **argv = c->vec, **envp = argv + req->argc + 1;
    const char *p = (const char *)req + sizeof *req;
    for (uint32_t i = 0; i < req->argc; i++, p += raw_strlen(p) + 1)
        argv[i] = (char *)p;
    argv[req->argc] = NULL;
    for (uint32_t i = 0; i < req->envc; i++, p += raw_strlen(p) + 1)
        envp[i] = (char *)p;
    envp[req->envc] = NULL;

    if ((r = RAW2(SYS_dup2, a->fds[0], 0)) < 0 || (r = RAW2(SYS_dup2, a->fds[1], 1)) < 0 ||
        (r = RAW2(SYS_dup2, a->fds[2], 2)) < 0 || (r = RAW2(SYS_dup2, status_fd, 3)) < 0)
        child_fail(status_fd, ST_DUP2, (int)-r);
    status_fd = 3;
    RAW3(SYS_fcntl, 3, F_SETFD, FD_CLOEXEC);
    /* the run's CPU counts from here (the setup above is the sandbox's): read before the cgroup's fds are closed */
    a->cpu_base = raw_cpu_us(&c->cg);
    if (RAW3(SYS_close_range, 4, ~0U, 0) != 0)
        for (int fd = 4; fd < 65536; fd++)
            RAW1(SYS_close, fd);
    if ((r = RAW1(SYS_chdir, "/work")) != 0)
        child_fail(status_fd, ST_CHDIR, (int)-r);
    long long cpu_soft = (lim->cpu_ms + 999) / 1000 + 1;
    if ((r = raw_limit(RLIMIT_CPU, cpu_soft, cpu_soft + 1)) != 0 ||
        (r = raw_limit(RLIMIT_STACK, lim->stack_bytes, lim->stack_bytes)) != 0 ||
        (r = raw_limit(RLIMIT_NOFILE, lim->nofile, lim->nofile)) != 0 ||
        (r = raw_limit(RLIMIT_FSIZE, lim->fsize_bytes, lim->fsize_bytes)) != 0 || (r = raw_limit(RLIMIT_CORE, 0, 0)) != 0 ||
        (r = raw_limit(RLIMIT_NPROC, lim->nproc, lim->nproc)) != 0 ||
        (lim->limit_as && (r = raw_limit(RLIMIT_AS, lim->mem_bytes, lim->mem_bytes)) != 0))
        child_fail(status_fd, ST_RLIMIT, (int)-r);
    init_step((struct init_ctx *)c, "request: start the program (until execve)");
    r = RAW3(SYS_execve, argv[0], argv, envp);
    child_fail(status_fd, ST_EXEC, (int)-r);
}

enum { ZC_MOUNT = 1, ZC_STATUS = 2 };
struct zc_msg {
    int type, value;   /* ZC_MOUNT: the answer's errno (0: mounted); ZC_STATUS: the program's wait status */
    long long cpu_base; /* ZC_STATUS: the run cgroup's CPU usage (µs) as the program was exec'd, or -1 */
};

static int g_zctl = -1;     /* the slot's end of the control socket to the run's init */

static int raw_replace_work(int mnt)
{
    while (RAW2(SYS_umount2, "/work", MNT_DETACH) == 0)
        ;
    long r = RAW5(SYS_move_mount, mnt, "", AT_FDCWD, "/work", MOVE_MOUNT_F_EMPTY_PATH);
    return (int)-r;
}

/* Reaps every child that has ended; 1 when none is left. */
static int reap_all(void)
{
    for (;;) {
        pid_t w = waitpid(-1, NULL, WNOHANG);
        if (w > 0)
            continue;
        return w < 0 && errno == ECHILD;
    }
}

/* reap_all in raw system calls (the init) */
static int raw_reap_all(void)
{
    for (;;) {
        long w = RAW4(SYS_wait4, -1, NULL, WNOHANG, NULL);
        if (w > 0)
            continue;
        return w == -ECHILD;
    }
}

/* Receives the request on the request socket: 0 with the four fds, 1 on end-of-file (not needed after all), -1. */
static int raw_recv_run(int sock, char *msg, size_t len, int fds[4])
{
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int) * 8)];
    } ctrl;
    struct iovec iov = { .iov_base = msg, .iov_len = len };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctrl.buf, .msg_controllen = sizeof ctrl.buf };
    long n;
    do
        n = RAW3(SYS_recvmsg, sock, &mh, MSG_CMSG_CLOEXEC);
    while (n == -EINTR);
    if (n == 0)
        return 1;
    int nfds = 0, got[8];
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); n > 0 && c != NULL; c = CMSG_NXTHDR(&mh, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            for (int i = 0; i < k; i++) {
                int fd;
                raw_copy(&fd, CMSG_DATA(c) + sizeof(int) * (size_t)i, sizeof fd);
                if (nfds < 8)
                    got[nfds++] = fd;
                else
                    RAW1(SYS_close, fd);
            }
        }
    const struct msg_request *req = (const struct msg_request *)msg;
    if (n < 0 || nfds != 4 || (size_t)n < sizeof *req || (size_t)n != sizeof *req + req->strings_len ||
        (size_t)req->argc + req->envc > req->strings_len || (size_t)req->argc + req->envc + 2 > INIT_VEC_MAX) {
        for (int i = 0; i < nfds; i++)
            RAW1(SYS_close, got[i]);
        return -1;
    }
    raw_copy(fds, got, sizeof(int) * 4);
    return 0;
}

/* Receives a /work of the request's own on the control socket (the detached mount, SCM_RIGHTS), puts it in place of
 * the one prepared ahead and answers: the program's process while it still has root, else the init. 0 when done or
 * nothing was there (flags MSG_DONTWAIT), -1 when the slot is gone. */
static int take_work(struct init_ctx *c, int flags)
{
    int fd = -1;
    char buf[sizeof(struct zc_msg)];
    union {
        struct cmsghdr h;
        char b[CMSG_SPACE(sizeof(int))];
    } ctrl;
    struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctrl.b, .msg_controllen = sizeof ctrl.b };
    long n;
    do
        n = RAW3(SYS_recvmsg, c->zc, &mh, MSG_CMSG_CLOEXEC | flags);
    while (n == -EINTR && !(flags & MSG_DONTWAIT));
    if (n == -EAGAIN || n == -EINTR)
        return 0;
    if (n <= 0)
        return -1;
    for (struct cmsghdr *h = CMSG_FIRSTHDR(&mh); h != NULL; h = CMSG_NXTHDR(&mh, h))
        if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS && fd < 0)
            raw_copy(&fd, CMSG_DATA(h), sizeof(int));
    struct zc_msg answer = { ZC_MOUNT, fd >= 0 ? raw_replace_work(fd) : EINVAL, -1 };
    if (fd >= 0)
        RAW1(SYS_close, fd);
    init_step(c, "mount the request's own /work");
    return raw_syscall6(SYS_sendto, c->zc, (long)&answer, sizeof answer, MSG_NOSIGNAL, 0, 0) < 0 ? -1 : 0;
}

/* The program's process from its clone (while the slot is idle) until execve: it joins the run's cgroup and waits for
 * the request, then execs (exec_program). It de-privileges itself while waiting too when the slot's latest run used the
 * /work prepared ahead, as consecutive tests of one submission do; then a /work of the request's own, which it can no
 * longer mount, makes it exit at once with yield set, and the init mounts that /work and clones the process again.
 * Otherwise (after a compilation, or on a slot whose runs change directory each time, as a checker's do) it keeps
 * root until the request, mounts such a /work itself and de-privileges itself at the request. */
static __attribute__((noreturn)) void program_main(struct exec_args *a)
{
    struct init_ctx *c = (struct init_ctx *)a->ctx;
    init_mark(c);
    /* Into the run's cgroup while idle (on v1 a migration takes milliseconds), so that the program and whatever it
     * forks are born in it. Until execve this process is a vfork child (its parent, the init, shares its memory and
     * waits for it), which the OOM killer never picks; after execve it has memory of its own. */
    for (int i = 0; i < c->cg.n && a->stage < 0; i++) {
        long fd = RAW4(SYS_openat, c->cg.dir[i], "cgroup.procs", O_WRONLY | O_CLOEXEC, 0);
        long w = fd < 0 ? fd : RAW3(SYS_write, fd, "0", 1);
        if (fd >= 0)
            RAW1(SYS_close, fd);
        if (w != 1)
            a->stage = ST_CG, a->error = w < 0 ? (int)-w : EIO;
    }
    prepare_ahead(a);
    init_step(c, "join the run's cgroup, leave the session");
    if (c->deprivilege_ahead) {
        deprivilege(a);
        init_step(c, "give up root, no_new_privs, seccomp (ahead)");
    }
    for (;;) {
        struct pollfd pf[2] = { { .fd = c->zc, .events = POLLIN }, { .fd = c->zsock, .events = POLLIN } };
        long ready = RAW5(SYS_ppoll, pf, 2, NULL, NULL, 0);
        if (ready < 0 && ready != -EINTR)
            raw_exit(126);
        init_mark(c);
        if (ready > 0 && pf[0].revents && c->deprivilege_ahead) { /* a /work of its own (left for the init), or EOF */
            char byte;
            long n = raw_syscall6(SYS_recvfrom, c->zc, (long)&byte, 1, MSG_PEEK | MSG_DONTWAIT, 0, 0);
            if (n > 0)
                a->yield = 1;
            if (n >= 0 || (n != -EAGAIN && n != -EINTR))
                raw_exit(0);
        } else if (ready > 0 && pf[0].revents && take_work(c, MSG_DONTWAIT) < 0) /* a /work of its own, or EOF */
            raw_exit(0);
        if (ready > 0 && pf[1].revents) { /* the request */
            int r = raw_recv_run(c->zsock, c->msg, MSG_MAX + 4096, a->fds);
            if (r != 0)
                raw_exit(r > 0 ? 0 : 127); /* not needed after all, or a malformed request: the slot reports it */
            a->req = (const struct msg_request *)c->msg;
            if (!c->deprivilege_ahead)
                deprivilege(a);
            exec_program(a);
        }
    }
}

static int program_entry(void *arg)
{
    program_main(arg);
}

static __attribute__((noreturn)) void init_main(struct init_ctx *c)
{
    init_mark(c);
    RAW2(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL);
    for (int i = 0; i < 4; i++)
        RAW1(SYS_close, c->close_fds[i]);
    unsigned long chld = 1UL << (SIGCHLD - 1); /* the kernel's sigset */
    RAW4(SYS_rt_sigprocmask, SIG_BLOCK, &chld, NULL, sizeof chld);
    long sfd = RAW4(SYS_signalfd4, -1, &chld, sizeof chld, SFD_CLOEXEC | SFD_NONBLOCK);
    /* The slot's /proc goes under /.jr (a move frees no mount), then /.jr with the work root, the layers and that /proc
     * is detached in one call: one RCU grace period instead of three. */
    if (sfd < 0 || RAW5(SYS_mount, "/proc", HIDDEN_PROC, NULL, MS_MOVE, NULL) != 0 ||
        RAW2(SYS_umount2, HIDDEN, MNT_DETACH) != 0)
        raw_exit(126);
    init_step(c, "detach /.jr (root, layers, /proc)");
    if (RAW5(SYS_mount, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
        raw_exit(126);
    init_step(c, "mount /proc");
    if (c->work_fd >= 0 && raw_replace_work(c->work_fd) != 0)
        raw_exit(126);
    init_step(c, "mount /work");
    int mine[3] = { c->work_fd, c->workroot, c->lower };
    for (int i = 0; i < 3; i++)
        if (mine[i] >= 0)
            RAW1(SYS_close, mine[i]);

    /* The program's process (PID 2), now: it joins the run's cgroup and waits for the request itself. The init
     * waits (CLONE_VFORK) until it has exec'd or exited: the init never enters the run's cgroup, so the OOM killer
     * of the run's memory cgroup (and v2's memory.oom.group) can never pick a process that shares the slot's memory. */
    struct exec_args args;
    long program;
    for (;;) {
        args = (struct exec_args){ .ctx = c, .stage = -1, .detail = "", .cpu_base = -1 };
        init_mark(c);
        program = judge_raw_clone(CLONE_VM | CLONE_VFORK | SIGCHLD, g_prog_stack + sizeof g_prog_stack, program_entry,
                                  &args);
        if (program < 0)
            raw_exit(126);
        if (!args.yield)
            break;
        /* it left a /work of the request's own to the init: mount it, then a new process takes the request, as
         * PID 2 again, so that a run sees the same PIDs whichever /work it has (where the kernel refuses the write,
         * the program is PID 3: nothing else differs) */
        RAW4(SYS_wait4, program, NULL, 0, NULL);
        init_mark(c);
        if (take_work(c, 0) != 0)
            raw_exit(0);
        long last = RAW4(SYS_openat, AT_FDCWD, "/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC, 0);
        if (last >= 0) {
            RAW3(SYS_write, last, "1", 1);
            RAW1(SYS_close, last);
        }
    }
    RAW1(SYS_close, c->zsock);
    for (;;) {
        struct pollfd pf[2] = { { .fd = c->zc, .events = POLLIN }, { .fd = (int)sfd, .events = POLLIN } };
        long ready = RAW5(SYS_ppoll, pf, 2, NULL, NULL, 0);
        if (ready < 0 && ready != -EINTR)
            raw_exit(126);
        init_mark(c);
        if (ready > 0 && pf[0].revents) { /* the slot is gone (it sends nothing else once the program runs) */
            char buf[sizeof(struct zc_msg)];
            long n = raw_syscall6(SYS_recvfrom, c->zc, (long)buf, sizeof buf, MSG_DONTWAIT, 0, 0);
            if (n == 0 || (n < 0 && n != -EAGAIN && n != -EINTR))
                raw_exit(0);
        }
        if (ready > 0 && pf[1].revents) {
            struct signalfd_siginfo si;
            while (RAW3(SYS_read, sfd, &si, sizeof si) > 0)
                ;
            int status = 0;
            long w;
            while ((w = RAW4(SYS_wait4, -1, &status, WNOHANG, NULL)) > 0)
                if (w == program) {
                    /* the run is over: end and reap everything else in the namespace (a walk of every task on
                     * the host, so only when something is left), then tell the slot, which answers at once; this
                     * process's own exit, the namespaces' teardown, is then off that path */
                    int alone = raw_reap_all();
                    long long deadline = raw_clock_us(CLOCK_MONOTONIC) + 5000000;
                    while (!alone && raw_clock_us(CLOCK_MONOTONIC) <= deadline) {
                        RAW2(SYS_kill, -1, SIGKILL);
                        alone = raw_reap_all();
                        struct timespec pause = { 0, 200000 };
                        if (!alone)
                            RAW2(SYS_nanosleep, &pause, NULL);
                    }
                    init_step(c, "the program ended: reap the rest");
                    struct zc_msg m = { ZC_STATUS, status, args.cpu_base };
                    raw_syscall6(SYS_sendto, c->zc, (long)&m, sizeof m, MSG_NOSIGNAL, 0, 0);
                    raw_exit(alone ? 0 : 125);
                }
        }
    }
}

static int init_entry(void *ctx)
{
    init_main(ctx);
}

/* Clones the next run's init (fresh PID and mount namespaces, the slot's memory), which moves itself into the run's
 * cgroup cg. Called once the slot is clean and the next run's mounts are prepared. */
static int start_zygote(const struct cg_handles *cg)
{
    if (g_init > 0 || g_zygote > 0) { /* its stacks and context are in use: never, the slot reaps each init first */
        errno = EBUSY;
        return -1;
    }
    int sv[2], zc[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return -1;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, zc) != 0) {
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    int big = MSG_MAX + 65536;
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
    setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    struct init_ctx *c = &g_ictx;
    c->cg = *cg;
    c->zc = zc[1];
    c->zsock = sv[1];
    c->close_fds[0] = g_sock;
    c->close_fds[1] = g_answer;
    c->close_fds[2] = sv[0];
    c->close_fds[3] = zc[0];
    int work = -1; /* a clone of the overlay prepared ahead, for the init to mount as its /work */
    if (g_ahead_mounted && (work = (int)open_tree(AT_FDCWD, HIDDEN_WORK, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC)) < 0)
        g_ahead_mounted = 0; /* the request mounts a /work of its own */
    c->work_fd = work;
    c->workroot = g_workroot;
    c->lower = g_lower;
    c->uid = g_uid;
    c->deprivilege_ahead = g_ahead_used;
    c->timing = g_timing;
    c->nsteps = 0;
    long pid = judge_raw_clone(CLONE_VM | CLONE_NEWPID | CLONE_NEWNS | SIGCHLD, g_init_stack + sizeof g_init_stack,
                               init_entry, c);
    if (work >= 0)
        close(work); /* mounted in the run's namespace now (or, should the clone have failed, not needed) */
    if (pid < 0) {
        close(sv[0]);
        close(sv[1]);
        close(zc[0]);
        close(zc[1]);
        errno = (int)-pid;
        return -1;
    }
    close(sv[1]);
    close(zc[1]);
    g_zygote = (pid_t)pid;
    g_zsock = sv[0];
    g_zctl = zc[0];
    return 0;
}

#pragma GCC pop_options

/* The init's steps (JUDGE_SANDBOX_TIMING), once the slot has reaped it. */
static void init_timing_collect(void)
{
    for (int i = 0; i < g_ictx.nsteps && i < INIT_STEPS; i++)
        timing_add_init(g_ictx.steps[i].name, g_ictx.steps[i].wall, g_ictx.steps[i].cpu);
    g_ictx.nsteps = 0;
}

/* Hands a /work of the request's own to the run's init, which mounts it in place of the one prepared ahead. */
static int send_work(int mnt)
{
    struct zc_msg m = { ZC_MOUNT, 0, -1 };
    union {
        struct cmsghdr h;
        char b[CMSG_SPACE(sizeof(int))];
    } ctrl;
    memset(&ctrl, 0, sizeof ctrl);
    struct iovec iov = { .iov_base = &m, .iov_len = sizeof m };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctrl.b, .msg_controllen = sizeof ctrl.b };
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &mnt, sizeof(int));
    if (g_zctl < 0 || sendmsg(g_zctl, &mh, MSG_NOSIGNAL) != (ssize_t)sizeof m)
        return errno ? errno : EPIPE;
    ssize_t n;
    do
        n = recv(g_zctl, &m, sizeof m, 0);
    while (n < 0 && errno == EINTR);
    if (n != (ssize_t)sizeof m || m.type != ZC_MOUNT)
        return EPIPE;
    return m.value;
}

/* Hands the request to the run's init, which starts the program. Returns the init's pid, or -1. */
static pid_t start_program(const struct cg_handles *cg, const char *msg, size_t len, int in_fd, int out_fd, int err_fd,
                           int status_fd)
{
    if (g_zygote < 0 && start_zygote(cg) != 0)
        return -1; /* not reached after a clean run: the slot starts the next run's init while idle */
    int fds[4] = { in_fd, out_fd, err_fd, status_fd };
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof fds)];
    } ctrl;
    memset(&ctrl, 0, sizeof ctrl);
    struct iovec iov = { .iov_base = (void *)msg, .iov_len = len };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctrl.buf, .msg_controllen = sizeof ctrl.buf };
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof fds);
    memcpy(CMSG_DATA(c), fds, sizeof fds);
    ssize_t sent = sendmsg(g_zsock, &mh, MSG_NOSIGNAL);
    close(g_zsock);
    g_zsock = -1;
    pid_t pid = g_zygote;
    g_zygote = -1;
    g_init = pid;
    if (sent != (ssize_t)len) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return -1;
    }
    return pid;
}

struct stream {
    int pipe_fd, file_fd;
    long long cap, kept;
    int fail_on_overflow;
};
enum { DRAIN_OK, DRAIN_EMPTY, DRAIN_OVERFLOW, DRAIN_WRITE_ERROR };

static int drain(struct stream *s, char *buf)
{
    int result = DRAIN_OK;
    for (int chunks = 0; chunks < 16; chunks++) {
        ssize_t n = read(s->pipe_fd, buf, CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0 || (n < 0 && errno != EAGAIN)) {
            close(s->pipe_fd);
            s->pipe_fd = -1;
            return result;
        }
        if (n < 0)
            return result == DRAIN_OK ? DRAIN_EMPTY : result;
        long long room = s->cap - s->kept;
        long long keep = n < room ? n : (room > 0 ? room : 0);
        if (keep < n && s->fail_on_overflow)
            result = DRAIN_OVERFLOW;
        for (long long off = 0; keep > 0 && s->file_fd >= 0 && off < keep;) {
            ssize_t w = write(s->file_fd, buf + off, (size_t)(keep - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                return DRAIN_WRITE_ERROR;
            off += w;
        }
        s->kept += keep;
        if (result == DRAIN_OVERFLOW)
            return result;
    }
    return result;
}

enum { K_NONE, K_CPU, K_WALL, K_OUTPUT, K_MEMORY, K_CANCEL, K_ERROR, K_DAEMON, K_WORK };

/* kill everything in the PID namespace but us; reap; 0 when we are alone */
static int kill_all_and_reap(void)
{
    long long deadline = now_us() + 5000000;
    for (;;) {
        kill(-1, SIGKILL);
        pid_t w;
        while ((w = waitpid(-1, NULL, WNOHANG)) > 0)
            ;
        if (w < 0 && errno == ECHILD)
            return 0;
        if (now_us() > deadline)
            return -1;
        usleep(500);
    }
}

/* CPU of the run's processes: the cgroup's usage since the start (the slot is not in it). */
static long long run_cpu_us(struct cg_handles *cg, long long cpu_base)
{
    long long total = cg_cpu_us(cg);
    if (total < 0)
        return -1;
    long long used = total - cpu_base;
    return used > 0 ? used : 0;
}

static int alone_in_pidns(void)
{
    DIR *d = opendir("/proc");
    if (d == NULL)
        return 0;
    int alone = 1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (isdigit((unsigned char)e->d_name[0]) && strcmp(e->d_name, "1") != 0)
            alone = 0;
    closedir(d);
    return alone;
}

static int do_umount(const char *path, int *retire)
{
    if (umount2(path, 0) == 0)
        return 0;
    if (errno == EINVAL) /* not mounted */
        return 0;
    fprintf(stderr, "judge-sandbox slot: umount %s: %s\n", path, strerror(errno));
    *retire = 1;
    umount2(path, MNT_DETACH);
    return -1;
}

/* The times an untouched directory's root starts at: no run can leave them (see scratch_mounted) */
static const struct timespec epoch_mark[2] = { { 0, 0 }, { 0, 0 } };

static void scratch_mounted(struct scratch *s)
{
    /* The root's access and modification times start at a mark no run can leave (the epoch): a run that creates,
     * removes or lists anything there sets one of them to the time it did so. Left at the mount's own time, a run
     * that touched it within the same tick of the kernel's coarse clock (a few ms after the mount: a quick run on a
     * slot that was just made ready) would leave the times unchanged, and its traces (inode numbers, times) to the
     * next run. */
    struct statfs sf;
    s->mounted =
        utimensat(AT_FDCWD, s->dir, epoch_mark, 0) == 0 && stat(s->dir, &s->st) == 0 && statfs(s->path, &sf) == 0;
    s->files = s->mounted ? sf.f_files - sf.f_ffree : 0;
    s->blocks = s->mounted ? sf.f_blocks - sf.f_bfree : 0;
}

static int same_time(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

/* 1 when its directory and tmpfs are as recorded when it was mounted (see struct scratch) */
static int scratch_untouched(const struct scratch *s)
{
    struct stat st;
    struct statfs sf;
    const struct stat *was = &s->st;
    return s->mounted && stat(s->dir, &st) == 0 && statfs(s->path, &sf) == 0 && sf.f_type == TMPFS_MAGIC &&
           st.st_dev == was->st_dev && st.st_ino == was->st_ino && st.st_mode == was->st_mode &&
           st.st_uid == was->st_uid && st.st_gid == was->st_gid && st.st_nlink == was->st_nlink &&
           same_time(&st.st_atim, &was->st_atim) && same_time(&st.st_mtim, &was->st_mtim) &&
           same_time(&st.st_ctim, &was->st_ctim) && sf.f_files - sf.f_ffree == s->files &&
           sf.f_blocks - sf.f_bfree == s->blocks;
}

static int same_directory(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
           a->st_ctim.tv_nsec == b->st_ctim.tv_nsec && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
           a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Whether the run now ending may leave the /work overlay and its layer to the next run (see g_work_mounted). */
static int work_untouched(void)
{
    struct stat dir;
    return g_work_used && g_work_mounted && scratch_untouched(&g_layer) && g_lower >= 0 && fstat(g_lower, &dir) == 0 &&
           dir.st_nlink > 0 && same_directory(&dir, &g_ahead);
}

static void unmount_run(int *retire)
{
    /* /work may carry a stack: the overlay mounted ahead, the run's own overlay or bind */
    g_ahead_mounted = 0;
    g_layer_kept = !*retire && work_untouched();
    g_work_used = 0;
    while (umount2("/work", 0) == 0)
        ;
    if (errno != EINVAL) {
        fprintf(stderr, "judge-sandbox slot: umount /work: %s\n", strerror(errno));
        *retire = 1;
        umount2("/work", MNT_DETACH);
    }
    if (g_keep >= 0) {
        close(g_keep);
        g_keep = -1;
    }
    if (g_layer_kept) {
        g_layer_bytes = g_tmp_bytes;
    } else {
        if (g_work_mounted)
            do_umount(HIDDEN_WORK, retire);
        g_work_mounted = 0;
        g_layer.mounted = 0;
        do_umount(HIDDEN_OVL, retire);
    }
    int kept = 0;
    for (int i = 0; i < 2; i++) {
        if (scratch_untouched(&g_scratch[i])) {
            kept = 1;
            continue;
        }
        g_scratch[i].mounted = 0;
        do_umount(g_scratch[i].path, retire);
    }
    if (kept && g_tmp_bytes > 0) /* 0: unmounted once already since the run (a failed run), their size noted then */
        g_scratch_bytes = g_tmp_bytes;
    g_tmp_bytes = 0;
}

static int resize_tmpfs(const char *path, long long bytes)
{
    char opts[64];
    snprintf(opts, sizeof opts, "size=%lld", bytes);
    return mount(NULL, path, NULL, MS_REMOUNT | MS_NOSUID | MS_NODEV, opts);
}

static int mount_tmpfs(const char *path, long long bytes, const char *mode)
{
    char opts[128];
    snprintf(opts, sizeof opts, "size=%lld,nr_inodes=65536,mode=%s", bytes, mode);
    return mount("judge-tmp", path, "tmpfs", MS_NOSUID | MS_NODEV, opts);
}



/* An overlay's writable layer: <layer>/upper (owned by the program's uid) and <layer>/wd. */
static int make_layer(const char *layer)
{
    char upper[64], wd[64];
    snprintf(upper, sizeof upper, "%s/upper", layer);
    snprintf(wd, sizeof wd, "%s/wd", layer);
    if (mkdir(layer, 0700) != 0 || mkdir(upper, 0755) != 0 || mkdir(wd, 0700) != 0 || chown(upper, g_uid, g_uid) != 0)
        return -1;
    return 0;
}

/* A detached overlay mount (lower: a path such as /proc/self/fd/N; writable layer under HIDDEN_OVL), made in the
 * slot's namespace, where the layers are; the run's init mounts it. Returns its fd, or -1 with errno. */
static int make_overlay(const char *lower, const char *layer)
{
    char upper[64], wd[64];
    snprintf(upper, sizeof upper, "%s/upper", layer);
    snprintf(wd, sizeof wd, "%s/wd", layer);
    int fs = fsopen("overlay", FSOPEN_CLOEXEC);
    if (fs < 0)
        return -1;
    int mnt = -1;
    if (fsconfig(fs, FSCONFIG_SET_STRING, "source", "judge-work", 0) == 0 &&
        fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir", lower, 0) == 0 &&
        fsconfig(fs, FSCONFIG_SET_STRING, "upperdir", upper, 0) == 0 &&
        fsconfig(fs, FSCONFIG_SET_STRING, "workdir", wd, 0) == 0 && fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
        mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
    int saved = errno;
    close(fs);
    errno = saved;
    return mnt;
}

/* Mounts the next run's /work over the latest run's directory if it still exists (at HIDDEN_WORK; the init mounts a
 * clone of it), looks up its entries so that the program's first lookups find them cached, and marks the layer (see
 * g_work_mounted). Failing is not an error: the request then mounts its own. */
static void mount_work_ahead(void)
{
    struct stat st;
    if (g_lower < 0 || fstat(g_lower, &st) != 0 || st.st_nlink == 0)
        return;
    char fdpath[64];
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", g_lower);
    int mnt = make_overlay(fdpath, HIDDEN_OVL "/1");
    if (mnt < 0)
        return;
    g_work_mounted = move_mount(mnt, "", AT_FDCWD, HIDDEN_WORK, MOVE_MOUNT_F_EMPTY_PATH) == 0;
    close(mnt);
    if (!g_work_mounted)
        return;
    g_ahead = st;
    g_ahead_mounted = 1;
    DIR *d = opendir(HIDDEN_WORK);
    if (d != NULL) {
        struct dirent *e;
        int n = 0;
        while ((e = readdir(d)) != NULL && n++ < 64) {
            struct stat ignored;
            fstatat(dirfd(d), e->d_name, &ignored, AT_SYMLINK_NOFOLLOW);
        }
        closedir(d);
    }
    scratch_mounted(&g_layer); /* after the listing above, which set the upper directory's access time */
}

/* Mounts the next run's writable places ahead of its request (fresh, empty, size-capped): /tmp, /dev/shm, the
 * tmpfs that holds /work's writable layer, and a fresh IPC namespace. Returns 0, or -1 with errno. */
static int prepare_next_run(void)
{
    g_tmp_bytes = 0;
    /* all three have one size: that of the ones kept (as the latest run sized them), or the default */
    long long size = g_scratch[0].mounted || g_scratch[1].mounted ? g_scratch_bytes : DEFAULT_TMP_BYTES;
    if (size <= 0) { /* never: kept ones of an unknown size are mounted anew (size=0 would be unlimited) */
        for (int i = 0; i < 2; i++)
            if (g_scratch[i].mounted && umount2(g_scratch[i].path, 0) != 0)
                return -1;
        g_scratch[0].mounted = g_scratch[1].mounted = 0;
        size = DEFAULT_TMP_BYTES;
    }
    for (int i = 0; i < 2; i++)
        if (!g_scratch[i].mounted) {
            if (mount_tmpfs(g_scratch[i].path, size, "1777") != 0)
                return -1;
            scratch_mounted(&g_scratch[i]);
            if (!g_scratch[i].mounted)
                return -1;
        }
    int kept = g_layer_kept;
    g_layer_kept = 0;
    if (kept) { /* the overlay over the same directory and its layer, as the latest run found them */
        if (g_layer_bytes != size && resize_tmpfs(HIDDEN_OVL, size) != 0)
            return -1;
    } else if (mount_tmpfs(HIDDEN_OVL, size, "0700") != 0 || make_layer(HIDDEN_OVL "/1") != 0) {
        return -1;
    }
    timing_step("clean: mount /tmp /dev/shm layer");
    if (unshare(CLONE_NEWIPC) != 0)
        return -1;
    timing_step("clean: new IPC namespace");
    g_tmp_bytes = size;
    if (kept)
        g_ahead_mounted = 1;
    else
        mount_work_ahead();
    return 0;
}

/* Mounts the run's /work (its /tmp, /dev/shm were prepared ahead; resized if the request asks another size). */
static int mount_run(const struct limits *lim, const char *rel, struct result *r)
{
    if (g_tmp_bytes == 0) {
        result_internal(r, "the slot's temporary filesystems are not prepared");
        return -1;
    }
    if (lim->tmp_bytes != g_tmp_bytes) {
        if (resize_tmpfs("/tmp", lim->tmp_bytes) != 0 || resize_tmpfs("/dev/shm", lim->tmp_bytes) != 0 ||
            resize_tmpfs(HIDDEN_OVL, lim->tmp_bytes) != 0) {
            result_internal(r, "cannot size the temporary filesystems to %lld bytes: %s", lim->tmp_bytes,
                            strerror(errno));
            return -1;
        }
        g_tmp_bytes = lim->tmp_bytes;
    }
    struct open_how how = { .flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW,
                            .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
    int dfd = (int)syscall(SYS_openat2, g_workroot, rel, &how, sizeof how);
    if (dfd < 0) {
        result_internal(r, "work: '%s' is not a directory under the work root without symlinks: %s", rel,
                        strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(dfd, &st) != 0) {
        result_internal(r, "work: cannot stat '%s': %s", rel, strerror(errno));
        close(dfd);
        return -1;
    }
    int ahead = g_ahead_mounted;
    g_ahead_mounted = 0; /* used now, or covered by this run's own mount */
    g_ahead_used = !lim->bind_mode && ahead && same_directory(&st, &g_ahead);
    g_work_used = g_ahead_used;
    if (g_ahead_used) {
        close(dfd);
        return 0;
    }
    char fdpath[64];
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", dfd);
    int rc = 0;
    if (lim->bind_mode) {
        /* a writable layer of its own, capped (see "what a run keeps"); kept into the directory after the run */
        const char *layer = ahead ? HIDDEN_OVL "/2" : HIDDEN_OVL "/1";
        char upper[64];
        snprintf(upper, sizeof upper, "%s/upper", layer);
        int mnt = -1, error = 0;
        if ((ahead && make_layer(layer) != 0) || resize_tmpfs(HIDDEN_OVL, work_ceiling(lim)) != 0 ||
            (g_keep = open(upper, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
            result_internal(r, "cannot prepare the /work layer: %s", strerror(errno));
            rc = -1;
        } else if ((mnt = make_overlay(fdpath, layer)) < 0 || (error = send_work(mnt)) != 0) {
            result_internal(r, "cannot mount the /work layer: %s", strerror(error ? error : errno));
            rc = -1;
        } else {
            g_keep_cap = lim->work_bytes;
            g_give_back = g_client_uid >= 0;
        }
        if (mnt >= 0)
            close(mnt);
    } else {
        /* over an overlay mounted ahead for another directory: a layer of its own (an upper layer serves one mount) */
        const char *layer = ahead ? HIDDEN_OVL "/2" : HIDDEN_OVL "/1";
        int mnt = -1, error = 0;
        if (ahead && make_layer(layer) != 0) {
            result_internal(r, "cannot prepare the /work overlay: %s", strerror(errno));
            rc = -1;
        } else if ((mnt = make_overlay(fdpath, layer)) < 0 || (error = send_work(mnt)) != 0) {
            result_internal(r, "cannot mount the /work overlay: %s", strerror(error ? error : errno));
            rc = -1;
        }
        if (mnt >= 0)
            close(mnt);
    }
    if (rc == 0) { /* the next run most likely uses this directory again */
        if (g_lower >= 0)
            close(g_lower);
        g_lower = dfd;
    } else
        close(dfd);
    return rc;
}

/* ------------------------------------------------------------------ bind mode: what a run keeps
 *
 * A run that keeps its changes (a compilation) writes into an overlay's writable layer on the slot's tmpfs, never
 * to the host directory: the tmpfs is charged to the run's memory cgroup, and the slot watches how much the layer
 * holds every tick and at the run's end. Past work_bytes the run is ended ("output exceeds N MiB"); the tmpfs' own
 * size, work_ceiling(), is the ceiling should a burst outrun the tick, with room for one file up to fsize_bytes.
 * Within the cap, after the run, the slot copies what the layer holds into the directory (regular files, directories,
 * symbolic links and FIFOs, which are made anew and never opened; a deletion removes the file; sockets and devices
 * are not kept), with no-follow, exclusive opens, files owned by the slot's uid. Over it, the
 * layer is discarded and the directory is left as it was. */

#define KEEP_DEPTH 64

static long long layer_bytes(void)
{
    struct statfs sf;
    if (g_keep < 0 || fstatfs(g_keep, &sf) != 0)
        return 0;
    return (long long)(sf.f_blocks - sf.f_bfree) * (long long)sf.f_bsize;
}

static int remove_tree_at(int dir, const char *name, int depth)
{
    if (unlinkat(dir, name, 0) == 0 || errno == ENOENT)
        return 0;
    if ((errno != EISDIR && errno != EPERM) || depth > KEEP_DEPTH)
        return -1;
    int sub = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = sub >= 0 ? fdopendir(sub) : NULL;
    if (d == NULL) {
        if (sub >= 0)
            close(sub);
        return -1;
    }
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && remove_tree_at(dirfd(d), e->d_name, depth + 1) != 0)
            rc = -1;
    closedir(d);
    return rc == 0 && unlinkat(dir, name, AT_REMOVEDIR) == 0 ? 0 : -1;
}

/* Copies the layer's directory from into the host directory to. Returns 0, or -1 with errno and what in err. */
static int keep_dir(int from, int to, int depth, char *what, size_t len)
{
    int listfd = openat(from, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = listfd >= 0 ? fdopendir(listfd) : NULL;
    if (d == NULL) {
        if (listfd >= 0)
            close(listfd);
        snprintf(what, len, "list the layer");
        return -1;
    }
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        if (!strcmp(n, ".") || !strcmp(n, ".."))
            continue;
        struct stat st, old;
        if (fstatat(from, n, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            snprintf(what, len, "stat '%s'", n);
            rc = -1;
            break;
        }
        int exists = fstatat(to, n, &old, AT_SYMLINK_NOFOLLOW) == 0;
        if (S_ISCHR(st.st_mode) && st.st_rdev == 0) { /* a whiteout: the run removed it */
            if (exists && remove_tree_at(to, n, depth) != 0) {
                snprintf(what, len, "remove '%s'", n);
                rc = -1;
            }
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (depth >= KEEP_DEPTH) {
                errno = ELOOP;
                snprintf(what, len, "keep '%s' (deeper than %d levels)", n, KEEP_DEPTH);
                rc = -1;
                break;
            }
            if (exists && !S_ISDIR(old.st_mode) && unlinkat(to, n, 0) != 0) {
                snprintf(what, len, "replace '%s'", n);
                rc = -1;
                break;
            }
            if ((!exists || !S_ISDIR(old.st_mode)) && mkdirat(to, n, 0700) != 0) {
                snprintf(what, len, "create directory '%s'", n);
                rc = -1;
                break;
            }
            int src = openat(from, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            int dst = openat(to, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (src < 0 || dst < 0 || fchown(dst, g_uid, g_uid) != 0 || fchmod(dst, st.st_mode & 0777) != 0) {
                snprintf(what, len, "enter '%s'", n);
                rc = -1;
            } else
                rc = keep_dir(src, dst, depth + 1, what, len);
            if (src >= 0)
                close(src);
            if (dst >= 0)
                close(dst);
            continue;
        }
        if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode) && !S_ISFIFO(st.st_mode))
            continue; /* sockets, devices: not kept */
        if (exists && (S_ISDIR(old.st_mode) ? remove_tree_at(to, n, depth) : unlinkat(to, n, 0)) != 0) {
            snprintf(what, len, "replace '%s'", n);
            rc = -1;
            break;
        }
        if (S_ISFIFO(st.st_mode)) {
            /* kept as a FIFO, never opened here: the client sees what the run left (and refuses a build that left one) */
            if (mkfifoat(to, n, st.st_mode & 0777) != 0 || fchownat(to, n, g_uid, g_uid, AT_SYMLINK_NOFOLLOW) != 0) {
                snprintf(what, len, "keep the FIFO '%s'", n);
                rc = -1;
            }
            continue;
        }
        if (S_ISLNK(st.st_mode)) {
            char target[PATH_MAX];
            ssize_t t = readlinkat(from, n, target, sizeof target - 1);
            if (t < 0 || (target[t] = '\0', symlinkat(target, to, n)) != 0 ||
                fchownat(to, n, g_uid, g_uid, AT_SYMLINK_NOFOLLOW) != 0) {
                snprintf(what, len, "keep the link '%s'", n);
                rc = -1;
            }
            continue;
        }
        int src = openat(from, n, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        int dst = openat(to, n, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (src < 0 || dst < 0) {
            snprintf(what, len, "copy '%s'", n);
            rc = -1;
        }
        for (off_t left = st.st_size; rc == 0 && left > 0;) {
            ssize_t m = sendfile(dst, src, NULL, (size_t)(left < (1 << 30) ? left : (1 << 30)));
            if (m <= 0) {
                if (m == 0)
                    errno = EIO;
                snprintf(what, len, "copy '%s'", n);
                rc = -1;
            } else
                left -= m;
        }
        if (rc == 0 && (fchown(dst, g_uid, g_uid) != 0 || fchmod(dst, st.st_mode & 0777) != 0)) {
            snprintf(what, len, "give '%s' its owner and mode", n);
            rc = -1;
        }
        if (src >= 0)
            close(src);
        if (dst >= 0)
            close(dst);
    }
    int saved = errno;
    closedir(d);
    errno = saved;
    return rc;
}

static void run_request(const struct msg_request *req, const char *program, const char *rel, int in_fd,
                        int out_file, int err_file, struct cg_handles *cg, struct msg_result *res)
{
    struct result *r = &res->r;
    const struct limits *lim = &req->lim;
    memset(r, 0, sizeof *r);
    strcpy(r->status, "ok");

    if (mount_run(lim, rel, r) != 0) {
        unmount_run(&res->retire);
        return;
    }
    timing_step("run: check dir, /work");
    int own_stdin = 0;
    if (in_fd < 0) {
        in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        own_stdin = 1;
    }
    /* stdout_pipe: the program writes straight into the pipe to its peer run; nothing is captured or capped here */
    int out_pipe[2] = { -1, -1 }, err_pipe[2] = { -1, -1 }, st_pipe[2];
    if ((!req->stdout_pipe && pipe2(out_pipe, O_CLOEXEC) != 0) || (!lim->merge_stderr && pipe2(err_pipe, O_CLOEXEC) != 0) ||
        pipe2(st_pipe, O_CLOEXEC) != 0) {
        result_internal(r, "pipe: %s", strerror(errno));
        res->retire = 1;
        return;
    }
    /* The cgroup holds only the run's process (the init's child, which joined it while idle): its CPU since now is the
     * run's. The pipe buffers the program fills are charged to it, the writer; the files the slot copies them to are
     * not (the slot is outside). */
    long long cpu_base = cg_cpu_us(cg);
    long long start = now_us();
    int child_out = req->stdout_pipe ? out_file : out_pipe[1];
    pid_t child = start_program(cg, (const char *)req, sizeof *req + req->strings_len, in_fd, child_out,
                                lim->merge_stderr ? child_out : err_pipe[1], st_pipe[1]);
    if (child < 0) {
        result_internal(r, "cannot start the program process: %s", strerror(errno));
        res->retire = 1;
        return;
    }
    timing_step("run: pipes, hand to init");
    if (own_stdin)
        close(in_fd);
    if (out_pipe[1] >= 0)
        close(out_pipe[1]);
    if (err_pipe[1] >= 0)
        close(err_pipe[1]);
    close(st_pipe[1]);


    struct stream streams[2] = {
        { .pipe_fd = out_pipe[0], .file_fd = out_file, .cap = lim->out_bytes, .fail_on_overflow = 1 },
        { .pipe_fd = err_pipe[0], .file_fd = err_file, .cap = lim->err_bytes, .fail_on_overflow = 0 },
    };
    for (int i = 0; i < 2; i++)
        if (streams[i].pipe_fd >= 0)
            fcntl(streams[i].pipe_fd, F_SETFL, O_NONBLOCK);
    int pidfd = (int)syscall(SYS_pidfd_open, child, 0);
    char *buf = g_chunk;
    int killed = K_NONE, status = 0, output_error = 0, got_status = 0, init_status = 0;
    long long exec_base = -1; /* the cgroup's CPU as the program was exec'd (from the init), or -1 */
    long long peak = 0, cpu_limit_us = lim->cpu_ms * 1000, wall_limit_us = lim->wall_ms * 1000;
    long long end = start;
    /* When the cgroup's files were last read for the limits. They are read at most once per tick, however often the
     * program's output or exit wakes the slot: each read of them costs the slot CPU time on the run's path. */
    long long checked = start;

    for (;;) {
        struct pollfd pfds[5];
        int map[5], n = 0;
        for (int i = 0; i < 2; i++)
            if (streams[i].pipe_fd >= 0) {
                pfds[n] = (struct pollfd){ .fd = streams[i].pipe_fd, .events = POLLIN };
                map[n++] = i;
            }
        if (pidfd >= 0) {
            pfds[n] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
            map[n++] = -1;
        }
        pfds[n] = (struct pollfd){ .fd = g_sock, .events = POLLIN };
        map[n++] = -2;
        if (g_zctl >= 0 && !got_status) {
            pfds[n] = (struct pollfd){ .fd = g_zctl, .events = POLLIN };
            map[n++] = -3;
        }
        long long remaining_ms = (wall_limit_us - (now_us() - start)) / 1000 + 1;
        int timeout = remaining_ms < TICK_MS ? (int)(remaining_ms > 0 ? remaining_ms : 0) : TICK_MS;
        int ready = poll(pfds, (nfds_t)n, timeout);
        for (int k = 0; ready > 0 && k < n; k++) {
            if (!(pfds[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            if (map[k] == -1)
                continue;
            if (map[k] == -3) { /* the run's init: the program's wait status, every other process of the run reaped */
                struct zc_msg zm;
                if (recv(g_zctl, &zm, sizeof zm, MSG_DONTWAIT) == (ssize_t)sizeof zm && zm.type == ZC_STATUS) {
                    got_status = 1;
                    status = zm.value;
                    exec_base = zm.cpu_base;
                    end = now_us();
                }
                continue;
            }
            if (map[k] == -2) {
                uint32_t msg[64];
                ssize_t m = recv(g_sock, msg, sizeof msg, MSG_DONTWAIT);
                if (m == 0 || (m < 0 && errno != EAGAIN && errno != EINTR)) {
                    kill(-1, SIGKILL); /* the daemon is gone */
                    _exit(1);
                }
                if (m >= 4 && msg[0] == MSG_CANCEL && killed == K_NONE) {
                    killed = K_CANCEL;
                    kill(-1, SIGKILL);
                }
                continue;
            }
            int d = drain(&streams[map[k]], buf);
            if (d == DRAIN_OVERFLOW && killed == K_NONE) {
                killed = K_OUTPUT;
                kill(-1, SIGKILL);
            } else if (d == DRAIN_WRITE_ERROR && !output_error) {
                output_error = errno;
                if (killed == K_NONE)
                    killed = K_ERROR;
                kill(-1, SIGKILL);
            }
        }
        if (got_status)
            break;
        pid_t w = waitpid(child, &init_status, WNOHANG); /* the run's init, ended without a status: killed */
        if (w == child) {
            g_init = -1;
            end = now_us();
            break;
        }
        long long now = now_us();
        if (ready > 0 && now - checked < TICK_MS * 1000LL) {
            if (killed == K_NONE && now - start > wall_limit_us) {
                killed = K_WALL;
                kill(-1, SIGKILL);
            }
            continue;
        }
        checked = now;
        /* Past the limit the run is MLE whatever it does next: end it now, before it reaches the cgroup's ceiling,
         * where the kernel would first reclaim its pages (a crawl into TLE) and then kill it. An OOM kill of one of
         * its processes ends the whole run too (v2 does that itself, memory.oom.group; v1 has nothing like it). */
        long long cur = cg_mem_current(cg) - layer_bytes(); /* kept files count against work_bytes, not memory */
        if (cur > peak)
            peak = cur;
        if (killed != K_NONE)
            continue;
        if (cur > lim->mem_bytes || cg_oom_kills(cg) > 0) {
            killed = K_MEMORY;
            kill(-1, SIGKILL);
        } else if (now_us() - start > wall_limit_us) {
            killed = K_WALL;
            kill(-1, SIGKILL);
        } else if (run_cpu_us(cg, cpu_base) > cpu_limit_us) {
            killed = K_CPU;
            kill(-1, SIGKILL);
        } else if (g_keep >= 0 && layer_bytes() > g_keep_cap) {
            killed = K_WORK;
            kill(-1, SIGKILL);
        }
    }
    timing_step("run: supervise (program runs)");
    if (pidfd >= 0)
        close(pidfd);
    if (!got_status) {
        /* the init ended without a status (killed here, or it could not start): its last word may still be there */
        struct zc_msg zm;
        if (recv(g_zctl, &zm, sizeof zm, MSG_DONTWAIT) == (ssize_t)sizeof zm && zm.type == ZC_STATUS)
            status = zm.value;
        else
            status = SIGKILL; /* a wait status: killed by SIGKILL */
    }

    /* the main process is gone: nothing of the run may outlive it (with a status, its init has seen to that) */
    if (!got_status && kill_all_and_reap() != 0) {
        res->retire = 1;
        snprintf(r->message, sizeof r->message, "processes of the run could not be reaped");
    }
    /* Whether the program started: its process reports a failure before execve on this pipe, whose end closes at
     * execve. Read only now, so that the slot sleeps once per run (until the program ends), not twice. */
    struct child_failure failure;
    ssize_t got;
    do
        got = read(st_pipe[0], &failure, sizeof failure);
    while (got < 0 && errno == EINTR);
    close(st_pipe[0]);
    int started = got != (ssize_t)sizeof failure;
    if (started && WIFEXITED(init_status) && WEXITSTATUS(init_status) == 126 && killed == K_NONE) {
        result_internal(r, "cannot start '%s': the run's PID and mount namespaces could not be prepared", program);
        return;
    }
    for (int i = 0; i < 2; i++) {
        while (streams[i].pipe_fd >= 0) {
            int d = drain(&streams[i], buf);
            if (d == DRAIN_OVERFLOW && killed == K_NONE)
                killed = K_OUTPUT;
            if (d == DRAIN_WRITE_ERROR && !output_error)
                output_error = errno;
            if (d != DRAIN_OK && streams[i].pipe_fd >= 0) {
                close(streams[i].pipe_fd);
                streams[i].pipe_fd = -1;
            }
        }
    }
    long long oom = 0, polled = peak;
    cg_mem_final(cg, &peak, &oom);
    if (peak > polled) /* the kernel's peak counts the kept files of a bind run too (as the layer holds them now) */
        peak = peak - layer_bytes() > polled ? peak - layer_bytes() : polled;
    /* the run's CPU since its program was exec'd (the setup before is the sandbox's), as before when unknown */
    long long cpu = run_cpu_us(cg, exec_base >= cpu_base ? exec_base : cpu_base);

    r->cpu_us = cpu > 0 ? cpu : 0;
    r->wall_us = end - start;
    r->end_us = end;
    r->maxrss_kb = peak / 1024;
    r->stdout_bytes = streams[0].kept;
    r->stderr_bytes = streams[1].kept;
    if (!started) {
        failure.detail[sizeof failure.detail - 1] = '\0';
        result_internal(r, "cannot start '%s': %s failed: %s%s%s", program,
                        failure.stage >= 0 && failure.stage <= ST_EXEC ? stage_names[failure.stage] : "setup",
                        strerror(failure.error), failure.detail[0] ? ": " : "", failure.detail);
        return;
    }
    if (WIFEXITED(status))
        r->exit_code = WEXITSTATUS(status);
    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    r->signal = sig;
    const char *st = "ok";
    if (killed == K_CANCEL) {
        st = "internal";
        snprintf(r->message, sizeof r->message, "cancelled");
    } else if (killed == K_ERROR || output_error) {
        st = "internal";
        snprintf(r->message, sizeof r->message, "cannot write output: %s", strerror(output_error));
    } else if (killed == K_MEMORY || oom > 0 || peak > lim->mem_bytes) {
        /* first of the program's faults: a run that needed more memory than it may have is MLE, however it then
         * ended (killed here or by the kernel, crashed on a failed allocation, out of time while thrashing) */
        st = "mle";
    } else if (killed == K_WORK || (g_keep >= 0 && layer_bytes() > g_keep_cap)) {
        st = "ole";
        snprintf(r->message, sizeof r->message, "output exceeds %lld MiB: the files the run wrote to its working "
                 "directory (nothing of them is kept)", g_keep_cap >> 20);
    } else if (killed == K_CPU) {
        st = "tle_cpu";
    } else if (killed == K_WALL) {
        st = "tle_wall";
    } else if (killed == K_OUTPUT) {
        st = "ole";
        snprintf(r->message, sizeof r->message, "standard output exceeded %lld bytes", lim->out_bytes);
    } else if (r->cpu_us > cpu_limit_us || sig == SIGXCPU) {
        st = "tle_cpu";
    } else if (sig == SIGXFSZ) {
        st = "ole";
        snprintf(r->message, sizeof r->message, "file size limit of %lld bytes exceeded", lim->fsize_bytes);
    } else if (sig != 0) {
        st = "signaled";
    } else if (r->exit_code != 0) {
        st = "nonzero";
    }
    snprintf(r->status, sizeof r->status, "%s", st);
    timing_step("run: drain, measure");
    if (g_timing)
        timing_add("the program from execve (cgroup)", 0, r->cpu_us);
    /* bind mode: what the run wrote goes into its directory, unless it was over the cap */
    if (g_keep >= 0 && strcmp(st, "internal") != 0 && strcmp(st, "ole") != 0 && g_lower >= 0) {
        char what[PATH_MAX + 64] = "";
        if (keep_dir(g_keep, g_lower, 0, what, sizeof what) != 0)
            result_internal(r, "cannot keep the files the run wrote to its working directory: %s: %s", what,
                            strerror(errno));
    }
}

/* After the result is sent: nothing of the run may be left before the next one. Returns 0 when clean. */
static int clean_after_run(struct cg_handles *cg)
{
    int retire = 0;
    if (g_zygote >= 0) { /* the run failed before it needed its process */
        close(g_zsock);
        g_zsock = -1;
        g_init = g_zygote;
        g_zygote = -1;
    }
    if (g_zctl >= 0) { /* the run's init exits on end-of-file, if it has not yet */
        close(g_zctl);
        g_zctl = -1;
    }
    /* the init has reaped the rest of the run before it answered: ending it (and its namespace) is enough, without
     * a kill(-1), which walks every task on the host */
    timing_mark();
    struct rusage before;
    if (g_timing)
        getrusage(RUSAGE_CHILDREN, &before);
    if (g_init > 0) {
        kill(g_init, SIGKILL);
        while (waitpid(g_init, NULL, 0) < 0 && errno == EINTR)
            ;
        g_init = -1;
    }
    if (!reap_all() && kill_all_and_reap() != 0)
        retire = 1;
    if (g_timing)
        init_timing_collect();
    if (g_timing) {
        struct rusage after;
        getrusage(RUSAGE_CHILDREN, &after);
        timing_step("clean: end the init");
        timing_add("init + program (their CPU)", 0,
                   (after.ru_utime.tv_sec - before.ru_utime.tv_sec + after.ru_stime.tv_sec - before.ru_stime.tv_sec) *
                           1000000LL +
                       after.ru_utime.tv_usec - before.ru_utime.tv_usec + after.ru_stime.tv_usec -
                       before.ru_stime.tv_usec);
    }
    unmount_run(&retire);
    timing_step("clean: unmount");
    if (!alone_in_pidns()) {
        retire = 1;
        fprintf(stderr, "judge-sandbox slot: processes left in the PID namespace\n");
    }
    if (cg->n > 0 && !cg_empty(cg)) {
        retire = 1;
        fprintf(stderr, "judge-sandbox slot: processes left in the run cgroup\n");
    }
    timing_step("clean: check alone");
    if (!retire && prepare_next_run() != 0) {
        retire = 1;
        fprintf(stderr, "judge-sandbox slot: cannot prepare the next run's mounts: %s\n", strerror(errno));
    }
    timing_step("clean: /work overlay ahead");
    return retire ? -1 : 0;
}

/* ------------------------------------------------------------------ request loop */

static int recv_request(char *msg, size_t len, int *fds, int *nfds)
{
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int) * 8)];
    } ctrl;
    struct iovec iov = { .iov_base = msg, .iov_len = len };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctrl.buf, .msg_controllen = sizeof ctrl.buf };
    ssize_t n;
    do
        n = recvmsg(g_sock, &mh, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    *nfds = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            memcpy(fds + *nfds, CMSG_DATA(c), sizeof(int) * (size_t)k);
            *nfds += k;
        }
    return (int)n;
}

/* Gives everything under the directory dirfd (and the directory itself) to the client, never following a link: the
 * run's processes are all gone, so nothing changes under it meanwhile. Returns the number of entries left as they were
 * (deeper than GIVE_BACK_DEPTH levels, or failing). */
#define GIVE_BACK_DEPTH 128
static long give_back(int dirfd, int depth)
{
    long left = 0;
    if (fchown(dirfd, (uid_t)g_client_uid, (gid_t)g_client_gid) != 0)
        left++;
    int listfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = listfd >= 0 ? fdopendir(listfd) : NULL;
    if (d == NULL) {
        if (listfd >= 0)
            close(listfd);
        return left + 1;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        struct stat st;
        if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            left++;
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            int child = depth < GIVE_BACK_DEPTH ? openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
            if (child < 0) {
                left++;
                continue;
            }
            left += give_back(child, depth + 1);
            close(child);
        } else if (fchownat(dirfd, e->d_name, (uid_t)g_client_uid, (gid_t)g_client_gid, AT_SYMLINK_NOFOLLOW) != 0)
            left++;
    }
    closedir(d);
    return left;
}

void slot_main(int sock, const struct slot_config *cfg)
{
    timing_reset("slot");
    g_client_uid = cfg->client_uid;
    g_client_gid = cfg->client_gid;
    g_sock = sock;
    g_answer = cfg->answer_fd;
    fcntl(g_answer, F_SETFD, FD_CLOEXEC);
    g_uid = cfg->uid;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    signal(SIGPIPE, SIG_IGN);
    int capfd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
    if (capfd >= 0) {
        char num[16] = "";
        if (read(capfd, num, sizeof num - 1) > 0 && atoi(num) > 0 && atoi(num) <= 63)
            g_cap_last = atoi(num);
        close(capfd);
    }
    /* The slot never execs, so its capability bounding set (which only limits what an execve can grant) is of no use
     * to it: emptied once here, it is empty in every run's init and process, which inherit it. The slot keeps its
     * effective capabilities for its mounts. */
    for (int cap = 0; cap <= g_cap_last; cap++)
        if (prctl(PR_CAPBSET_DROP, cap) != 0 && errno != EINVAL)
            prep_fail("drop capability %d from the bounding set", cap);
    char why[256];
    if (judge_seccomp_build(&g_ictx.filter, why, sizeof why) != 0)
        prep_fail("%s", why);
    prepare(cfg);
    send_text(MSG_READY, "ready");

    /* The slot's heap is grown once and never given back: the directory walks of bind runs take 32 KiB per open
     * directory, and PID 1's memory figures (the slot's: see slot_private) must not tell how deep a tree an earlier
     * run kept. 2 MiB hold the 64 levels a run may keep. */
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    char *warm = malloc(2 << 20);
    if (warm != NULL)
        memset(warm, 1, 2 << 20);
    __asm__ volatile("" : : "r"(warm) : "memory"); /* the compiler may not drop the pair as unused */
    free(warm);
    char *msg = slot_private(MSG_MAX + 4096);
    g_chunk = slot_private(CHUNK);
    /* the run's init's buffers (it shares the slot's memory and maps nothing itself) and the seccomp filter, once */
    g_ictx.msg = slot_private(MSG_MAX + 4096);
    g_ictx.vec = slot_private(sizeof(char *) * INIT_VEC_MAX);
    if (msg == NULL || g_chunk == NULL || g_ictx.msg == NULL || g_ictx.vec == NULL)
        _exit(1);
    touch_every_page();
    struct cg_handles cg = { .n = 0, .opened = 0 };
    for (;;) {
        int fds[8], nfds;
        int n = recv_request(msg, MSG_MAX + 4096, fds, &nfds);
        if (n <= 0) {
            timing_report();
            _exit(0); /* the daemon closed the socket */
        }
        timing_mark();
        uint32_t type = n >= 4 ? *(uint32_t *)msg : 0;
        if (type == MSG_CGROUP && (size_t)n >= sizeof(struct msg_cgroup)) {
            /* the next run's cgroup: its process, forked now (off the request path), moves into it; the slot stays
             * outside, so that nothing the run does to its memory can make the OOM killer pick the slot */
            struct msg_cgroup *m = (struct msg_cgroup *)msg;
            if (m->n != nfds || nfds > MAX_CG || (nfds == 0 && cg.n == 0))
                _exit(3);
            timing_mark();
            if (nfds == 0) {
                /* the same cgroup again: the last run's processes are gone (clean_after_run checked), its CPU counts
                 * from a base line; only the memory peak must start again, from the usage left (page cache, which
                 * the peak is reported without) */
                if (cg_reset_peak(&cg) != 0) {
                    fprintf(stderr, "judge-sandbox slot: cannot reset the run cgroup's memory peak: %s\n",
                            strerror(errno));
                    _exit(3);
                }
                timing_step("idle: reset the cgroup");
            } else {
                cg_close_files(&cg);
                for (int i = 0; i < cg.n; i++)
                    close(cg.dir[i]);
                cg.v2 = m->v2;
                cg.n = nfds;
                memcpy(cg.dir, fds, sizeof(int) * (size_t)nfds);
            }
            if (start_zygote(&cg) != 0) {
                fprintf(stderr, "judge-sandbox slot: cannot fork the next run's process: %s\n", strerror(errno));
                _exit(3);
            }
            timing_step("idle: clone the next init");
            struct msg_idle idle = { .type = MSG_IDLE, .ahead = g_ahead_mounted };
            if (g_ahead_mounted) {
                idle.dev = g_ahead.st_dev;
                idle.ino = g_ahead.st_ino;
            }
            if (send(g_sock, &idle, sizeof idle, MSG_NOSIGNAL) < 0)
                _exit(1);
            continue;
        }
        struct msg_request *req = (struct msg_request *)msg;
        if ((size_t)n < sizeof *req || type != MSG_REQUEST) {
            for (int i = 0; i < nfds; i++)
                close(fds[i]);
            continue; /* a cancel that arrived after the run ended */
        }
        struct msg_result res;
        memset(&res, 0, sizeof res);
        res.type = MSG_RESULT;
        int k = 0;
        int in_fd = req->has_stdin ? fds[k++] : -1;
        int out_fd = req->has_stdout ? fds[k++] : -1;
        int err_fd = req->has_stderr ? fds[k++] : -1;
        if (k != nfds || (size_t)n != sizeof *req + req->strings_len) {
            result_internal(&res.r, "slot: malformed request from the daemon");
        } else if (cg.n == 0) {
            result_internal(&res.r, "slot: no cgroup for the run");
        } else {
            /* argv and envp are the zygote's to parse; the slot needs the program's name and the work path */
            const char *program = msg + sizeof *req, *p = program;
            for (uint32_t i = 0; i < req->argc + req->envc; i++)
                p += strlen(p) + 1;
            run_request(req, program, p, in_fd, out_fd, err_fd, &cg, &res);
            /* a compilation's directory and what it made go back to the client (socket mode) before it hears the end */
            if (g_give_back && g_lower >= 0) {
                long left = give_back(g_lower, 0);
                if (left > 0 && strcmp(res.r.status, "internal") != 0)
                    fprintf(stderr, "judge-sandbox slot: %ld entries of run '%.64s' could not be given back to uid %ld\n",
                            left, req->id, g_client_uid);
            }
            g_give_back = 0;
        }
        for (int i = 0; i < nfds; i++)
            close(fds[i]);
        /* the run's processes are gone: what is still charged to its cgroup, besides its tmpfs pages, would count
         * in the next run's memory (CG_REUSE_LEFT_MAX) */
        long long left = cg_left_after_run(&cg);
        res.fresh_cg = left < 0 || left > CG_REUSE_LEFT_MAX;
        /* the answer goes straight to the client; the daemon only learns that the slot is done with the run */
        req->id[sizeof req->id - 1] = '\0';
        if (write_result(g_answer, req->id, &res.r) != 0)
            fprintf(stderr, "judge-sandbox slot: cannot write the response to run '%s': %s\n", req->id, strerror(errno));
        timing_step("run: answer");
        static long runs;
        if (g_timing && ++runs % 50 == 0) /* the slot is ended by SIGKILL: its sums so far, every 50 runs */
            timing_report();
        if (send(g_sock, &res, sizeof res, MSG_NOSIGNAL) < 0 || res.retire) {
            kill(-1, SIGKILL);
            _exit(res.retire ? 2 : 1);
        }
        /* the result is out; now make sure nothing of the run is left before the next one */
        if (clean_after_run(&cg) != 0) {
            kill(-1, SIGKILL);
            _exit(2);
        }
    }
}
