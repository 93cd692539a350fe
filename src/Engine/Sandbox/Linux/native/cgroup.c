/* cgroups of runs: v1 (memory, cpuacct, pids: one hierarchy each) and v2 (one unified hierarchy).
 *
 * Layout: <hierarchy mount>/<root>/judge-<daemon pid>/run-<seq>, created by the daemon for each run and removed
 * after it (rmdir succeeds only when no process is left). v2 also moves the daemon into judge-<pid>/daemon so
 * that judge-<pid> holds no process and may enable controllers for its children.
 *
 * A run's cgroup holds the run's processes only (the slot stays outside, in the daemon's cgroup): the OOM killer of
 * the run's memory cgroup can pick nothing but the program and what it forked, whatever their oom_score_adj. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandbox.h"

/* paths are bounded by PATH_MAX; a truncated one fails to open, which is reported */
#pragma GCC diagnostic ignored "-Wformat-truncation"

static const char *const v1_names[MAX_CG] = { "memory", "cpuacct", "pids" };

static int g_v2;
static int g_ndirs;
static char g_base[MAX_CG][PATH_MAX]; /* .../judge-<pid> per hierarchy */
static int g_memsw = 1;
static int g_reuse;

int write_file_at(int dirfd, const char *name, const char *text)
{
    int fd = openat(dirfd, name, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t len = strlen(text);
    ssize_t n = write(fd, text, len);
    int saved = errno;
    close(fd);
    errno = saved;
    return n == (ssize_t)len ? 0 : -1;
}

int read_file_at(int dirfd, const char *name, char *buf, size_t len)
{
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, len - 1);
    close(fd);
    if (n < 0)
        return -1;
    buf[n] = '\0';
    return (int)n;
}

static int write_path(const char *dir, const char *name, const char *text)
{
    int d = open(dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (d < 0)
        return -1;
    int r = write_file_at(d, name, text);
    int saved = errno;
    close(d);
    errno = saved;
    return r;
}

static int read_path(const char *dir, const char *name, char *buf, size_t len)
{
    int d = open(dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (d < 0)
        return -1;
    int r = read_file_at(d, name, buf, len);
    close(d);
    return r;
}

/* Mount point of the v1 hierarchy holding controller (or of cgroup2 when controller is NULL). */
static int find_mount(const char *controller, char *out, size_t outlen)
{
    FILE *f = fopen("/proc/self/mountinfo", "re");
    if (f == NULL)
        return -1;
    char line[4096];
    int found = -1;
    while (fgets(line, sizeof line, f) != NULL) {
        char *sep = strstr(line, " - ");
        if (sep == NULL)
            continue;
        char mnt[PATH_MAX], fstype[64], source[256], opts[1024] = "";
        if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
            continue;
        if (sscanf(sep + 3, "%63s %255s %1023s", fstype, source, opts) < 2)
            continue;
        if (controller == NULL) {
            if (strcmp(fstype, "cgroup2") != 0)
                continue;
        } else {
            if (strcmp(fstype, "cgroup") != 0)
                continue;
            int match = 0;
            for (char *tok = strtok(opts, ","); tok != NULL; tok = strtok(NULL, ","))
                if (strcmp(tok, controller) == 0)
                    match = 1;
            if (!match)
                continue;
        }
        snprintf(out, outlen, "%s", mnt);
        found = 0;
        break;
    }
    fclose(f);
    return found;
}

/* The daemon's own cgroup in the hierarchy of controller (NULL: v2). */
static int own_cgroup(const char *controller, char *out, size_t outlen)
{
    FILE *f = fopen("/proc/self/cgroup", "re");
    if (f == NULL)
        return -1;
    char line[4096];
    int found = -1;
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        char *c1 = strchr(line, ':');
        char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (c2 == NULL)
            continue;
        *c2 = '\0';
        const char *ctrls = c1 + 1, *path = c2 + 1;
        if (controller == NULL) {
            if (strncmp(line, "0:", 2) == 0 && *ctrls == '\0') {
                snprintf(out, outlen, "%s", path);
                found = 0;
            }
        } else {
            char copy[1024];
            snprintf(copy, sizeof copy, "%s", ctrls);
            for (char *tok = strtok(copy, ","); tok != NULL; tok = strtok(NULL, ","))
                if (strcmp(tok, controller) == 0) {
                    snprintf(out, outlen, "%s", path);
                    found = 0;
                }
        }
    }
    fclose(f);
    return found;
}

static int has_word(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ' || p[n] == '\n'))
            return 1;
    return 0;
}

/* Removes judge-<pid> directories (and their run-* / daemon children) left by daemons that no longer exist. */
static void remove_stale(const char *parent)
{
    DIR *d = opendir(parent);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "judge-", 6) != 0)
            continue;
        char *end;
        long pid = strtol(e->d_name + 6, &end, 10);
        if (*end != '\0' || pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s/%s", parent, e->d_name);
        DIR *sub = opendir(dir);
        if (sub != NULL) {
            struct dirent *c;
            while ((c = readdir(sub)) != NULL)
                if (strncmp(c->d_name, "run-", 4) == 0 || strcmp(c->d_name, "daemon") == 0) {
                    char child[PATH_MAX + 300];
                    snprintf(child, sizeof child, "%s/%s", dir, c->d_name);
                    rmdir(child);
                }
            closedir(sub);
        }
        if (rmdir(dir) == 0)
            fprintf(stderr, "judge-sandbox: removed stale cgroup %s\n", dir);
    }
    closedir(d);
}

static int setup_v1(const char *root, char *err, size_t errlen)
{
    for (int i = 0; i < MAX_CG; i++) {
        char mnt[PATH_MAX], own[PATH_MAX];
        if (find_mount(v1_names[i], mnt, sizeof mnt) != 0) {
            snprintf(err, errlen, "cgroup v1: the '%s' controller is not mounted (need memory, cpuacct, pids)",
                     v1_names[i]);
            return -1;
        }
        if (root != NULL)
            snprintf(own, sizeof own, "%s", root);
        else if (own_cgroup(v1_names[i], own, sizeof own) != 0)
            snprintf(own, sizeof own, "/");
        int n = snprintf(g_base[i], sizeof g_base[i], "%s%s%s/judge-%d", mnt, own[0] == '/' ? "" : "/",
                         strcmp(own, "/") == 0 ? "" : own, (int)getpid());
        if (n >= (int)sizeof g_base[i]) {
            snprintf(err, errlen, "cgroup path too long");
            return -1;
        }
        char parent[PATH_MAX];
        snprintf(parent, sizeof parent, "%s", g_base[i]);
        *strrchr(parent, '/') = '\0';
        remove_stale(parent);
        if (mkdir(g_base[i], 0755) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "cgroup v1: cannot create %s: %s (is the hierarchy writable?)", g_base[i],
                     strerror(errno));
            return -1;
        }
    }
    char buf[64];
    if (read_path(g_base[0], "memory.memsw.limit_in_bytes", buf, sizeof buf) < 0) {
        g_memsw = 0; /* no swap accounting: runs get memory.swappiness=0 instead */
        fprintf(stderr, "judge-sandbox: memory.memsw.* absent; using memory.swappiness=0 to keep runs off swap\n");
    }
    if (read_path(g_base[2], "pids.max", buf, sizeof buf) < 0) {
        snprintf(err, errlen, "cgroup v1: pids.max missing in %s", g_base[2]);
        return -1;
    }
    g_ndirs = MAX_CG;
    return 0;
}

static char g_v2_home[PATH_MAX]; /* v2: the cgroup the daemon was started in, until setup has succeeded */

/* Undoes a failed v2 setup: the daemon goes back to the cgroup it was started in (allowed there: enabling
 * controllers is what failed, or never happened) and judge-<pid> goes away, so that a daemon refused at start
 * leaves nothing behind (no later daemon would remove it: its parent may not be theirs). */
static void undo_v2(void)
{
    if (g_v2_home[0] != '\0')
        write_path(g_v2_home, "cgroup.procs", "0");
    char leaf[PATH_MAX + 16];
    snprintf(leaf, sizeof leaf, "%s/daemon", g_base[0]);
    rmdir(leaf);
    rmdir(g_base[0]);
    g_v2 = 0;
    g_ndirs = 0;
}

static int setup_v2(const char *root, char *err, size_t errlen, int quiet_missing)
{
    char mnt[PATH_MAX], own[PATH_MAX], parent[PATH_MAX], buf[1024];
    if (find_mount(NULL, mnt, sizeof mnt) != 0) {
        snprintf(err, errlen, "cgroup v2: no cgroup2 filesystem mounted");
        return -1;
    }
    if (root != NULL)
        snprintf(own, sizeof own, "%s", root);
    else if (own_cgroup(NULL, own, sizeof own) != 0)
        snprintf(own, sizeof own, "/");
    snprintf(parent, sizeof parent, "%s%s%s", mnt, own[0] == '/' ? "" : "/", strcmp(own, "/") == 0 ? "" : own);
    if (read_path(parent, "cgroup.controllers", buf, sizeof buf) < 0) {
        snprintf(err, errlen, "cgroup v2: cannot read %s/cgroup.controllers: %s", parent, strerror(errno));
        return -1;
    }
    if (!has_word(buf, "memory") || !has_word(buf, "pids")) {
        snprintf(err, errlen,
                 "cgroup v2: controllers available in %s are '%.*s'; need memory and pids (delegate them to this "
                 "cgroup or pass --cgroup-root)",
                 parent, (int)strcspn(buf, "\n"), buf);
        (void)quiet_missing;
        return -1;
    }
    remove_stale(parent);
    char home[PATH_MAX];
    if (own_cgroup(NULL, home, sizeof home) == 0)
        snprintf(g_v2_home, sizeof g_v2_home, "%s%s", mnt, strcmp(home, "/") == 0 ? "" : home);
    snprintf(g_base[0], sizeof g_base[0], "%s/judge-%d", parent, (int)getpid());
    if (mkdir(g_base[0], 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cgroup v2: cannot create %s: %s", g_base[0], strerror(errno));
        return -1;
    }
    /* no internal processes: the daemon lives in a leaf of its own */
    char leaf[PATH_MAX + 16];
    snprintf(leaf, sizeof leaf, "%s/daemon", g_base[0]);
    if ((mkdir(leaf, 0755) != 0 && errno != EEXIST) || write_path(leaf, "cgroup.procs", "0") != 0) {
        snprintf(err, errlen, "cgroup v2: cannot move the daemon into %s: %s", leaf, strerror(errno));
        undo_v2();
        return -1;
    }
    /* the parent must pass memory and pids down to judge-<pid>, which passes them to the runs */
    if (read_path(g_base[0], "cgroup.controllers", buf, sizeof buf) < 0 || !has_word(buf, "memory") ||
        !has_word(buf, "pids")) {
        if (write_path(parent, "cgroup.subtree_control", "+memory +pids") != 0) {
            snprintf(err, errlen,
                     "cgroup v2: cannot enable +memory +pids in %s/cgroup.subtree_control: %s (the cgroup must hold "
                     "no other process; start the daemon in a delegated cgroup or pass --cgroup-root)",
                     parent, strerror(errno));
            undo_v2();
            return -1;
        }
    }
    if (write_path(g_base[0], "cgroup.subtree_control", "+memory +pids") != 0) {
        snprintf(err, errlen, "cgroup v2: cannot enable +memory +pids in %s/cgroup.subtree_control: %s", g_base[0],
                 strerror(errno));
        undo_v2();
        return -1;
    }
    if (write_path(g_base[0], "cgroup.subtree_control", "+cpu") != 0) {
        /* cpu.stat usage_usec exists without the cpu controller: nothing lost */
    }
    g_v2 = 1;
    g_ndirs = 1;
    return 0;
}

int cg_setup(const char *mode, const char *root, char *err, size_t errlen)
{
    int r;
    if (strcmp(mode, "v1") == 0)
        r = setup_v1(root, err, errlen);
    else if (strcmp(mode, "v2") == 0)
        r = setup_v2(root, err, errlen, 0);
    else {
        char err2[1024];
        r = setup_v2(root, err2, sizeof err2, 1);
        if (r != 0) {
            r = setup_v1(root, err, errlen);
            if (r != 0) {
                char both[2048];
                snprintf(both, sizeof both, "%s; %s", err2, err);
                snprintf(err, errlen, "%s", both);
            }
        }
    }
    if (r != 0)
        return -1;
    /* prove it works: a run cgroup with limits, removed again */
    struct limits lim = { .mem_bytes = 64 << 20, .nproc = 8 };
    struct cg_handles h;
    if (cg_run_create(0, &lim, &h, err, errlen) != 0) {
        if (g_v2)
            undo_v2();
        return -1;
    }
    g_reuse = cg_reset_peak(&h) == 0;
    cg_close_files(&h);
    for (int i = 0; i < h.n; i++)
        close(h.dir[i]);
    if (cg_run_remove(0) != 0) {
        snprintf(err, errlen, "cgroup: cannot remove a test run cgroup under %s", g_base[0]);
        return -1;
    }
    return 0;
}

int cg_reusable(void)
{
    return g_reuse;
}

const char *cg_version(void)
{
    return g_v2 ? "v2" : "v1";
}

long long cg_mem_ceiling(long long limit)
{
    long long headroom = limit / 4 > MEM_HEADROOM_MIN ? limit / 4 : MEM_HEADROOM_MIN;
    return limit > MEM_CEILING_MAX - headroom ? MEM_CEILING_MAX : limit + headroom;
}

int cg_run_create(unsigned long long seq, const struct limits *lim, struct cg_handles *h, char *err, size_t errlen)
{
    char name[64];
    snprintf(name, sizeof name, "run-%llu", seq);
    h->v2 = g_v2;
    h->n = 0;
    h->opened = 0;
    for (int i = 0; i < g_ndirs; i++) {
        int base = open(g_base[i], O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        if (base < 0) {
            snprintf(err, errlen, "cgroup: cannot open %s: %s", g_base[i], strerror(errno));
            goto fail;
        }
        if (mkdirat(base, name, 0755) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "cgroup: cannot create %s/%s: %s", g_base[i], name, strerror(errno));
            close(base);
            goto fail;
        }
        h->dir[h->n] = openat(base, name, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        close(base);
        if (h->dir[h->n] < 0) {
            snprintf(err, errlen, "cgroup: cannot open %s/%s: %s", g_base[i], name, strerror(errno));
            goto fail;
        }
        h->n++;
    }
    /* v2: an OOM kill in the run kills every process of the run at once (the whole run is the OOM unit); v1 has no
     * such switch: there the slot kills the run as soon as memory.oom_control counts a kill (slot.c) */
    if (g_v2 && write_file_at(h->dir[0], "memory.oom.group", "1") != 0) {
        snprintf(err, errlen, "cgroup: cannot set memory.oom.group: %s (Linux 4.19 or later is needed)", strerror(errno));
        goto fail;
    }
    if (lim != NULL && cg_run_limits(h, lim, err, errlen) != 0)
        goto fail;
    return 0;
fail:
    for (int i = 0; i < h->n; i++)
        close(h->dir[i]);
    h->n = 0;
    cg_run_remove(seq);
    return -1;
}

int cg_run_limits(const struct cg_handles *h, const struct limits *lim, char *err, size_t errlen)
{
    char num[64];
    /* the ceiling, not the limit: a run is MLE once its peak passes the limit (the slot kills it then), and the
     * headroom above keeps the kernel from reclaiming (and the program from crawling) before that is seen */
    /* a run that keeps its files writes them to a tmpfs layer charged to it: they count against work_bytes, not
     * mem_bytes, so the ceiling makes room for the layer's own ceiling (see slot.c, "what a run keeps") */
    long long ceiling = cg_mem_ceiling(lim->mem_bytes), layer = lim->bind_mode ? work_ceiling(lim) : 0;
    snprintf(num, sizeof num, "%lld", ceiling > MEM_CEILING_MAX - layer ? MEM_CEILING_MAX : ceiling + layer);
    const char *what = NULL;
    if (g_v2) {
        if (write_file_at(h->dir[0], "memory.max", num) != 0) what = "memory.max";
        else if (write_file_at(h->dir[0], "memory.swap.max", "0") != 0 && errno != ENOENT) what = "memory.swap.max";
        else {
            snprintf(num, sizeof num, "%lld", lim->nproc); /* the program's processes (the run's init is not in the cgroup) */
            if (write_file_at(h->dir[0], "pids.max", num) != 0) what = "pids.max";
        }
    } else {
        /* memsw (memory + swap) may never be below the memory limit: lower the memory limit first, raise memsw
         * first (a cgroup whose limits were set ahead for another request may go either way) */
        int lim_first = write_file_at(h->dir[0], "memory.limit_in_bytes", num) == 0;
        if (g_memsw && write_file_at(h->dir[0], "memory.memsw.limit_in_bytes", num) != 0)
            what = "memory.memsw.limit_in_bytes";
        else if (!lim_first && write_file_at(h->dir[0], "memory.limit_in_bytes", num) != 0)
            what = "memory.limit_in_bytes";
        else if (!g_memsw && write_file_at(h->dir[0], "memory.swappiness", "0") != 0) what = "memory.swappiness";
        else {
            snprintf(num, sizeof num, "%lld", lim->nproc); /* the program's processes (the run's init is not in the cgroup) */
            if (write_file_at(h->dir[2], "pids.max", num) != 0) what = "pids.max";
        }
    }
    if (what != NULL) {
        snprintf(err, errlen, "cgroup: cannot set %s: %s", what, strerror(errno));
        return -1;
    }
    return 0;
}

static void kill_procs(const char *dir)
{
    char buf[8192];
    if (read_path(dir, "cgroup.procs", buf, sizeof buf) <= 0)
        return;
    for (char *p = buf; *p;) {
        long pid = strtol(p, &p, 10);
        if (pid > 0)
            kill((pid_t)pid, 9);
        while (*p == '\n')
            p++;
    }
}

int cg_run_remove(unsigned long long seq)
{
    int failed = 0;
    for (int i = 0; i < g_ndirs; i++) {
        char path[PATH_MAX + 64];
        snprintf(path, sizeof path, "%s/run-%llu", g_base[i], seq);
        int ok = 0;
        for (int attempt = 0; attempt < 200; attempt++) {
            if (rmdir(path) == 0 || errno == ENOENT) {
                ok = 1;
                break;
            }
            if (attempt == 0)
                fprintf(stderr, "judge-sandbox: rmdir %s: %s; retrying\n", path, strerror(errno));
            kill_procs(path);
            usleep(5000);
        }
        if (!ok)
            failed = 1;
    }
    return failed ? -1 : 0;
}

void cg_shutdown(void)
{
    for (int i = 0; i < g_ndirs; i++) {
        if (g_v2) {
            /* The daemon itself is in judge-<pid>/daemon until it exits: both stay (empty) behind. */
            continue;
        }
        rmdir(g_base[i]);
    }
}

/* ---- slot side */

int cg_join(const struct cg_handles *h)
{
    for (int i = 0; i < h->n; i++)
        if (write_file_at(h->dir[i], "cgroup.procs", "0") != 0)
            return -1;
    return 0;
}

static int cg_fd(struct cg_handles *h, enum cg_file f)
{
    static const char *const names[2][CGF_COUNT] = {
        { "cpuacct.usage", "memory.usage_in_bytes", "memory.stat", "memory.max_usage_in_bytes", "memory.oom_control" },
        { "cpu.stat", "memory.current", "memory.stat", "memory.peak", "memory.events" },
    };
    if (h->opened & (1u << f))
        return h->file[f];
    if (h->n < 1 || (f == CGF_CPU && !h->v2 && h->n < 2)) {
        errno = EBADF;
        return -1;
    }
    int dir = f == CGF_CPU && !h->v2 ? h->dir[1] : h->dir[0]; /* v1: cpuacct's hierarchy */
    const char *name = names[h->v2 ? 1 : 0][f];
    int fd = openat(dir, name, (f == CGF_PEAK ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (fd < 0 && f == CGF_PEAK && (errno == EACCES || errno == EPERM)) /* a read-only peak: read, never reset */
        fd = openat(dir, name, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    h->file[f] = fd;
    h->opened |= 1u << f;
    return fd;
}

void cg_close_files(struct cg_handles *h)
{
    for (int f = 0; f < CGF_COUNT; f++)
        if (h->opened & (1u << f))
            close(h->file[f]);
    h->opened = 0;
}

/* reads file f from its start into buf (NUL-terminated); its length, or -1 */
static int read_cg(struct cg_handles *h, enum cg_file f, char *buf, size_t len)
{
    int fd = cg_fd(h, f);
    ssize_t n = fd < 0 ? -1 : pread(fd, buf, len - 1, 0);
    if (n < 0)
        return -1;
    buf[n] = '\0';
    return (int)n;
}

int cg_reset_peak(struct cg_handles *h)
{
    /* v1: writing 0 sets the peak to the current usage. v2 (Linux 6.12+): a write resets the peak seen through that
     * file descriptor, which the slot keeps for its reads. */
    int fd = cg_fd(h, CGF_PEAK);
    const char *text = h->v2 ? "reset" : "0";
    ssize_t len = (ssize_t)strlen(text);
    return fd >= 0 && pwrite(fd, text, (size_t)len, 0) == len ? 0 : -1;
}

static long long read_ll(struct cg_handles *h, enum cg_file f)
{
    char buf[64];
    if (read_cg(h, f, buf, sizeof buf) <= 0)
        return -1;
    return strtoll(buf, NULL, 10);
}

/* value of "key N" in a flat keyed file */
static long long read_key(struct cg_handles *h, enum cg_file f, const char *key)
{
    char buf[4096];
    if (read_cg(h, f, buf, sizeof buf) <= 0)
        return -1;
    size_t n = strlen(key);
    for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
        if (strncmp(line, key, n) == 0 && line[n] == ' ')
            return strtoll(line + n + 1, NULL, 10);
    return -1;
}

long long cg_cpu_us(struct cg_handles *h)
{
    if (h->v2)
        return read_key(h, CGF_CPU, "usage_usec");
    long long ns = read_ll(h, CGF_CPU);
    return ns < 0 ? -1 : ns / 1000;
}

/* Bytes of page cache of files (the file LRU lists) charged to the run: the kernel drops or writes them back under
 * pressure, long before the cgroup's ceiling, so they are not memory the program needs. tmpfs and shared memory are
 * not among them (they live on the anon lists): a program filling /tmp or /dev/shm uses memory. -1 when unreadable. */
static long long file_cache(struct cg_handles *h)
{
    char buf[8192];
    if (read_cg(h, CGF_STAT, buf, sizeof buf) <= 0)
        return -1;
    const char *active = h->v2 ? "active_file" : "total_active_file";
    const char *inactive = h->v2 ? "inactive_file" : "total_inactive_file";
    long long sum = 0;
    int found = 0;
    for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        const char *key = NULL;
        if (strncmp(line, active, strlen(active)) == 0 && line[strlen(active)] == ' ')
            key = active;
        else if (strncmp(line, inactive, strlen(inactive)) == 0 && line[strlen(inactive)] == ' ')
            key = inactive;
        if (key) {
            sum += strtoll(line + strlen(key) + 1, NULL, 10);
            found++;
        }
    }
    return found == 2 ? sum : -1;
}

/* The run's memory as a memory limit means it: the cgroup's usage less the page cache of files it read or wrote. */
long long cg_mem_current(struct cg_handles *h)
{
    long long usage = read_ll(h, CGF_USAGE);
    if (usage < 0)
        return usage;
    long long cache = file_cache(h);
    return cache > 0 && cache < usage ? usage - cache : usage;
}

long long cg_left_after_run(struct cg_handles *h)
{
    long long usage = read_ll(h, CGF_USAGE);
    char buf[8192];
    if (usage < 0 || read_cg(h, CGF_STAT, buf, sizeof buf) <= 0)
        return -1;
    const char *key = h->v2 ? "shmem" : "total_shmem";
    size_t k = strlen(key);
    for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
        if (strncmp(line, key, k) == 0 && line[k] == ' ') {
            long long shmem = strtoll(line + k + 1, NULL, 10);
            return usage > shmem ? usage - shmem : 0;
        }
    return -1;
}

long long cg_oom_kills(struct cg_handles *h)
{
    return read_key(h, CGF_OOM, "oom_kill");
}

void cg_mem_final(struct cg_handles *h, long long *peak, long long *oom_kills)
{
    /* The kernel's own peak catches what happened between two polls, but counts page cache too: what is left of that
     * cache once the run's processes are gone is taken off. Exact unless cache was dropped after the peak, which the
     * kernel does under pressure, near the ceiling (the limit plus its headroom), where the run is MLE anyway. */
    long long p = read_ll(h, CGF_PEAK);
    long long cache = file_cache(h);
    if (p > 0 && cache > 0)
        p = cache < p ? p - cache : 0;
    if (p > *peak)
        *peak = p;
    *oom_kills = cg_oom_kills(h);
}

int cg_procs_count(const struct cg_handles *h)
{
    int count = 0;
    for (int i = 0; i < h->n; i++) {
        char buf[256];
        int n = read_file_at(h->dir[i], "cgroup.procs", buf, sizeof buf);
        if (n < 0)
            return -1;
        for (int k = 0; k < n; k++)
            if (buf[k] == '\n')
                count++;
    }
    return count;
}

int cg_empty(const struct cg_handles *h)
{
    for (int i = 0; i < h->n; i++) {
        char buf[256];
        if (read_file_at(h->dir[i], "cgroup.procs", buf, sizeof buf) != 0)
            return 0;
    }
    return 1;
}
