/*
 * judge-sandbox: the isolating sandbox daemon (see ../PROTOCOL.md).
 *
 * The daemon parses NUL-framed requests from stdin, opens the run's host files (stdin, stdout, stderr), creates
 * the run's cgroup and hands both (SCM_RIGHTS) with the request to an idle slot over a SOCK_SEQPACKET socketpair.
 * Slots (slot.c) are created with clone() into new PID, mount, net, IPC and UTS namespaces and prepare their root
 * ahead of time. Responses are JSON lines on stdout in completion order.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox.h"

#pragma GCC diagnostic ignored "-Wformat-truncation"

#define MAX_SLOTS 256
#define MAX_RO 64
/* Each daemon claims the uids base..base+MAX_SLOTS-1 (one per slot) with a write lock on those bytes of --uid-lock, so
 * that two daemons on one host (one kernel: RLIMIT_NPROC counts a uid's processes host-wide) never share a uid. */
#define UID_AUTO_FIRST 60000
#define UID_AUTO_RANGES 64

/* ------------------------------------------------------------------ options */

static struct {
    char work_root[PATH_MAX];     /* canonical */
    char work_root_arg[PATH_MAX]; /* as given (absolute, without trailing slashes): also accepted in requests */
    int pool;
    long uid_base;
    char *ro[MAX_RO];
    int n_ro;
    const char *cgroup_mode, *cgroup_root;
    const char *work_arg;         /* --work-root as given, resolved by resolve_work_root() */
    const char *listen;           /* --listen: serve clients on this Unix socket instead of stdin/stdout */
    long client_uid, client_gid;  /* --client-uid/--client-gid: the only peer allowed on the socket; -1 in stdio mode */
    int uid_auto;                 /* --uid-base auto (the default): the first free range from UID_AUTO_FIRST */
    const char *uid_lock;         /* --uid-lock: the host-wide file whose byte-range locks claim uid ranges */
} opt = { .pool = 2, .uid_base = UID_AUTO_FIRST, .cgroup_mode = "auto", .client_uid = -1, .client_gid = -1,
          .uid_auto = 1, .uid_lock = "/run/judge-uids.lock" };

static int parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int parse_options(int argc, char **argv, char *err, size_t errlen)
{
    const char *work = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc) {
            snprintf(err, errlen, "bad option: %s needs a value", a);
            return -1;
        }
        const char *v = argv[++i];
        long n;
        if (strcmp(a, "--work-root") == 0)
            work = v;
        else if (strcmp(a, "--pool") == 0) {
            if (parse_long(v, 1, 64, &n) != 0) {
                snprintf(err, errlen, "bad option: --pool '%s' (1..64)", v);
                return -1;
            }
            opt.pool = (int)n;
        } else if (strcmp(a, "--uid-base") == 0) {
            if (strcmp(v, "auto") == 0) {
                opt.uid_auto = 1;
                opt.uid_base = UID_AUTO_FIRST;
            } else if (parse_long(v, 1, 2000000000L, &n) != 0) {
                snprintf(err, errlen, "bad option: --uid-base '%s' (a positive uid, or auto)", v);
                return -1;
            } else {
                opt.uid_auto = 0;
                opt.uid_base = n;
            }
        } else if (strcmp(a, "--uid-lock") == 0) {
            if (v[0] != '/' || strlen(v) >= PATH_MAX / 2) {
                snprintf(err, errlen, "bad option: --uid-lock '%s' (an absolute path)", v);
                return -1;
            }
            opt.uid_lock = v;
        } else if (strcmp(a, "--ro-bind") == 0) {
            struct stat st;
            if (v[0] != '/' || strcmp(v, "/") == 0 || strcmp(v, "/sys") == 0 || strncmp(v, "/sys/", 5) == 0 || strstr(v, "/../") || strlen(v) >= PATH_MAX / 2) {
                snprintf(err, errlen, "bad option: --ro-bind '%s' (an absolute path other than / and not under /sys)", v);
                return -1;
            }
            if (lstat(v, &st) != 0) {
                snprintf(err, errlen, "bad option: --ro-bind '%s': %s", v, strerror(errno));
                return -1;
            }
            if (opt.n_ro >= MAX_RO) {
                snprintf(err, errlen, "bad option: too many --ro-bind");
                return -1;
            }
            opt.ro[opt.n_ro++] = (char *)v;
        } else if (strcmp(a, "--cgroup") == 0) {
            if (strcmp(v, "auto") && strcmp(v, "v1") && strcmp(v, "v2")) {
                snprintf(err, errlen, "bad option: --cgroup '%s' (auto, v1 or v2)", v);
                return -1;
            }
            opt.cgroup_mode = v;
        } else if (strcmp(a, "--cgroup-root") == 0)
            opt.cgroup_root = v;
        else if (strcmp(a, "--listen") == 0) {
            struct sockaddr_un probe;
            if (v[0] != '/' || strlen(v) >= sizeof probe.sun_path) {
                snprintf(err, errlen, "bad option: --listen '%s' (an absolute path of at most %zu bytes)", v,
                         sizeof probe.sun_path - 1);
                return -1;
            }
            opt.listen = v;
        } else if (strcmp(a, "--client-uid") == 0 || strcmp(a, "--client-gid") == 0) {
            if (parse_long(v, 0, 2000000000L, &n) != 0) {
                snprintf(err, errlen, "bad option: %s '%s' (a numeric id)", a, v);
                return -1;
            }
            if (a[9] == 'u')
                opt.client_uid = n;
            else
                opt.client_gid = n;
        } else {
            snprintf(err, errlen, "bad option: unknown option '%s'", a);
            return -1;
        }
    }
    if (work == NULL) {
        snprintf(err, errlen, "bad option: --work-root DIR is required");
        return -1;
    }
    if (work[0] != '/') {
        snprintf(err, errlen, "bad option: --work-root '%s' must be absolute", work);
        return -1;
    }
    if ((opt.listen != NULL) != (opt.client_uid >= 0)) {
        snprintf(err, errlen, "bad option: --listen and --client-uid go together (the socket serves one client uid)");
        return -1;
    }
    if (opt.client_gid >= 0 && opt.client_uid < 0) {
        snprintf(err, errlen, "bad option: --client-gid needs --listen and --client-uid");
        return -1;
    }
    if (opt.client_uid >= 0 && opt.client_gid < 0)
        opt.client_gid = opt.client_uid;
    if (!opt.uid_auto && opt.client_uid >= opt.uid_base && opt.client_uid < opt.uid_base + MAX_SLOTS) {
        snprintf(err, errlen, "bad option: --client-uid %ld is one of the sandbox's own uids (--uid-base %ld + 0..%d)",
                 opt.client_uid, opt.uid_base, MAX_SLOTS - 1);
        return -1;
    }
    opt.work_arg = work;
    return 0;
}

/* Claims the daemon's uid range for as long as it runs: an OFD write lock on bytes [base, base + MAX_SLOTS) of
 * --uid-lock (a byte-range lock, so that overlapping ranges with different bases conflict too; released by the
 * kernel when the daemon dies, however it dies). An explicit --uid-base that another daemon holds is refused; auto
 * takes the first free range of UID_AUTO_FIRST + i * MAX_SLOTS. 0, or -1 with err set. */
static int g_uid_lock = -1;
static int claim_uid_range(char *err, size_t errlen)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", opt.uid_lock);
    char *slash = strrchr(dir, '/');
    if (slash != NULL && slash != dir) {
        *slash = '\0';
        for (char *p = dir + 1; *p; p++)
            if (*p == '/') {
                *p = '\0';
                mkdir(dir, 0755);
                *p = '/';
            }
        mkdir(dir, 0755);
    }
    g_uid_lock = open(opt.uid_lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    struct stat st;
    if (g_uid_lock < 0 || fstat(g_uid_lock, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != 0) {
        snprintf(err, errlen, "cannot open the uid lock file %s (--uid-lock; a root-owned regular file): %s",
                 opt.uid_lock, g_uid_lock < 0 ? strerror(errno) : "not a root-owned regular file");
        return -1;
    }
    for (int i = 0; i < (opt.uid_auto ? UID_AUTO_RANGES : 1); i++) {
        long base = opt.uid_auto ? UID_AUTO_FIRST + (long)i * MAX_SLOTS : opt.uid_base;
        if (opt.uid_auto && opt.client_uid >= base && opt.client_uid < base + MAX_SLOTS)
            continue;
        struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = base, .l_len = MAX_SLOTS };
        if (fcntl(g_uid_lock, F_OFD_SETLK, &fl) == 0) {
            opt.uid_base = base;
            return 0;
        }
        if (errno != EAGAIN && errno != EACCES) {
            snprintf(err, errlen, "cannot lock uids %ld..%ld in %s (--uid-lock): %s", base, base + MAX_SLOTS - 1,
                     opt.uid_lock, strerror(errno));
            return -1;
        }
    }
    if (opt.uid_auto)
        snprintf(err, errlen, "uid ranges %d..%ld (--uid-base auto, Judge:Sandbox:UidBase unset) are all in use by other "
                 "judge-sandbox daemons on this host (locks in %s); set Judge:Sandbox:UidBase to a free range",
                 UID_AUTO_FIRST, UID_AUTO_FIRST + (long)UID_AUTO_RANGES * MAX_SLOTS - 1, opt.uid_lock);
    else
        snprintf(err, errlen, "uids %ld..%ld (--uid-base %ld, Judge:Sandbox:UidBase) are in use by another judge-sandbox "
                 "daemon on this host (lock in %s): two daemons sharing uids share RLIMIT_NPROC; give each daemon a "
                 "range of its own, %d uids apart, or leave Judge:Sandbox:UidBase unset (auto)",
                 opt.uid_base, opt.uid_base + MAX_SLOTS - 1, opt.uid_base, opt.uid_lock, MAX_SLOTS);
    return -1;
}

/* Resolves --work-root. In socket mode the daemon owns it: created when missing, then made the client's, mode 0700,
 * so that no other local user can enter the directories of runs (or the client's problem cache there). */
static int resolve_work_root(char *err, size_t errlen)
{
    const char *work = opt.work_arg;
    snprintf(opt.work_root_arg, sizeof opt.work_root_arg, "%s", work);
    for (size_t l = strlen(opt.work_root_arg); l > 1 && opt.work_root_arg[l - 1] == '/'; l--)
        opt.work_root_arg[l - 1] = '\0';
    if (opt.listen != NULL) {
        if (mkdir(opt.work_root_arg, 0700) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "work root '%s': cannot create it: %s", work, strerror(errno));
            return -1;
        }
        int fd = open(opt.work_root_arg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0) {
            snprintf(err, errlen, "work root '%s': %s (a directory, not a symbolic link)", work, strerror(errno));
            if (fd >= 0)
                close(fd);
            return -1;
        }
        if ((st.st_uid != (uid_t)opt.client_uid || st.st_gid != (gid_t)opt.client_gid) &&
            fchown(fd, (uid_t)opt.client_uid, (gid_t)opt.client_gid) != 0) {
            snprintf(err, errlen, "work root '%s': cannot give it to uid %ld: %s", work, opt.client_uid, strerror(errno));
            close(fd);
            return -1;
        }
        if ((st.st_mode & 07777) != 0700 && fchmod(fd, 0700) != 0) {
            snprintf(err, errlen, "work root '%s': cannot make it 0700: %s", work, strerror(errno));
            close(fd);
            return -1;
        }
        close(fd);
    }
    if (realpath(work, opt.work_root) == NULL) {
        snprintf(err, errlen, "work root '%s': %s", work, strerror(errno));
        return -1;
    }
    struct stat st;
    if (stat(opt.work_root, &st) != 0 || !S_ISDIR(st.st_mode) || strcmp(opt.work_root, "/") == 0 ||
        strncmp(opt.work_root, "/sys/", 5) == 0) {
        snprintf(err, errlen, "work root '%s' is not a directory (other than /)", work);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ runs and slots */

struct run {
    char id[65];
    struct limits lim;
    char *strings; /* argv, envp, work relative path, NUL-terminated */
    uint32_t argc, envc, strings_len;
    int in_fd, out_fd, err_fd;
    int slot; /* -1 while queued */
    int has_work_id; /* overlay mode and work_dev/work_ino known: a slot with that overlay ahead is preferred */
    uint64_t work_dev, work_ino;
    int pipe_in, pipe_out; /* indices into pipes[] of stdin_pipe / stdout_pipe, or -1 */
    struct run *next;
};

/* Named pipes connecting two runs (stdout_pipe of one = stdin_pipe of the other; see PROTOCOL.md). The daemon keeps
 * its own copy of both ends so that what a run sees of its peer's end happens only after the peer's response is
 * written: the reader sees end-of-file once the writer has ended (the write end is closed then, not before); the
 * writer gets EPIPE/SIGPIPE once the reader has ended (or, with stdout_pipe_discard=1, its output is read and
 * dropped until it ends). A response's end_us then orders the two runs by cause. */
#define MAX_PIPES 512
#define PIPE_BYTES (1 << 20)
struct dpipe {
    int used;
    char name[65];
    int rfd, wfd;                   /* the daemon's copies; -1 once closed */
    int has_reader, has_writer;     /* a run took that end */
    int reader_done, writer_done;   /* that run has ended (answered) */
    int discard;                    /* drain and drop what is written once the reader has ended */
};
static struct dpipe pipes[MAX_PIPES];
static int pipes_used; /* entries in use: the main loop looks for pipes to drain only when there are any */

/* PREP: preparing its namespaces; JOINING: cleaning up after a run and forking its next run's process into the next
 * cgroup; IDLE: clean, that process waiting in a fresh cgroup, ready for a run; BUSY: running one. */
enum { SLOT_FREE, SLOT_PREP, SLOT_JOINING, SLOT_IDLE, SLOT_BUSY };

struct slot {
    int state;
    pid_t pid;
    int sock;
    struct run *run;
    int has_cg;
    struct cg_handles cg;          /* the cgroup of the slot's next (or current) run */
    int cg_limited;                /* its limits are cg_lim (set ahead, or for its latest run) */
    struct limits cg_lim;
    unsigned long long cg_seq;
    unsigned long long old_seq;    /* the previous run's cgroup, removed once the slot is clean (its processes gone) */
    int ahead;                     /* idle with /work mounted ahead over the directory ahead_dev/ahead_ino */
    uint64_t ahead_dev, ahead_ino;
    int need_cg;                   /* JOINING, but its next cgroup is still to be made (deferred_work) */
    int reuse_cg;                  /* its cgroup may serve the next run too (the last run was not MLE) */
};

static struct slot slots[MAX_SLOTS];
static struct run *queue_head, *queue_tail;
static struct run *running; /* list of dispatched runs (linked by next) */
static unsigned long long run_seq = 1;
static volatile sig_atomic_t stop_requested;
static long long last_prep_failure_us; /* slots are not re-created within 200 ms of a failed preparation */

static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void pipe_close_end(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

/* Applies the hold rules of pipe i after one of its runs ended; frees it when nothing more can happen on it. */
static void pipe_update(int i)
{
    struct dpipe *p = &pipes[i];
    if (p->writer_done) {
        pipe_close_end(&p->wfd); /* the reader sees end-of-file now: after the writer's response */
        pipe_close_end(&p->rfd); /* a reader still running holds its own copy */
    } else if (p->reader_done && !p->discard) {
        pipe_close_end(&p->rfd); /* the writer gets EPIPE/SIGPIPE now: after the reader's response */
    } else if (p->reader_done && p->rfd >= 0) {
        fcntl(p->rfd, F_SETFL, O_NONBLOCK); /* drained by the main loop until the writer ends */
    }
    int done = (p->writer_done || !p->has_writer) && (p->reader_done || !p->has_reader);
    /* a peer that never came (a refused request) would wait for ever: the end nobody took goes with the first run */
    if (done || ((p->writer_done || p->reader_done) && (!p->has_writer || !p->has_reader))) {
        pipe_close_end(&p->wfd);
        pipe_close_end(&p->rfd);
        p->used = 0;
        pipes_used--;
    }
}

static void free_run(struct run *r)
{
    if (r->in_fd >= 0) close(r->in_fd);
    if (r->out_fd >= 0) close(r->out_fd);
    if (r->err_fd >= 0) close(r->err_fd);
    if (r->pipe_in >= 0) {
        pipes[r->pipe_in].reader_done = 1;
        pipe_update(r->pipe_in);
    }
    if (r->pipe_out >= 0) {
        pipes[r->pipe_out].writer_done = 1;
        pipe_update(r->pipe_out);
    }
    free(r->strings);
    free(r);
}

/* The pipe named name, created when no run has named it yet. Returns its index, or -1 with err set. */
static int pipe_find_or_create(const char *name, char *err, size_t errlen)
{
    int free_slot = -1;
    for (int i = 0; i < MAX_PIPES; i++) {
        if (pipes[i].used && strcmp(pipes[i].name, name) == 0)
            return i;
        if (!pipes[i].used && free_slot < 0)
            free_slot = i;
    }
    if (free_slot < 0) {
        snprintf(err, errlen, "more than %d pipes in use", MAX_PIPES);
        return -1;
    }
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "cannot create pipe '%s': %s", name, strerror(errno));
        return -1;
    }
    fcntl(fds[0], F_SETPIPE_SZ, PIPE_BYTES); /* best effort: room for a peer that writes ahead */
    struct dpipe *p = &pipes[free_slot];
    *p = (struct dpipe){ .used = 1, .rfd = fds[0], .wfd = fds[1] };
    pipes_used++;
    snprintf(p->name, sizeof p->name, "%s", name);
    return free_slot;
}

/* Reads and drops what writers still write to pipes whose reader has ended (stdout_pipe_discard=1). */
static void pipe_drain(int i)
{
    static char sink[65536];
    for (int chunks = 0; chunks < 16 && pipes[i].rfd >= 0; chunks++) {
        ssize_t n = read(pipes[i].rfd, sink, sizeof sink);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0 || errno != EAGAIN)
                pipe_close_end(&pipes[i].rfd); /* end-of-file: every writer is gone */
            return;
        }
    }
}

static int pipe_draining(int i)
{
    return pipes[i].used && pipes[i].reader_done && !pipes[i].writer_done && pipes[i].discard && pipes[i].rfd >= 0;
}

static void answer(const char *id, const struct result *res)
{
    if (write_result(STDOUT_FILENO, id, res) != 0)
        fprintf(stderr, "judge-sandbox: cannot write the response to run '%s': %s\n", id, strerror(errno));
}

static void answer_internal(const char *id, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void answer_internal(const char *id, const char *fmt, ...)
{
    struct result r;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    result_internal(&r, "%s", msg);
    answer(id, &r);
}

static int slot_count(int state)
{
    int n = 0;
    for (int i = 0; i < MAX_SLOTS; i++)
        if (slots[i].state == state)
            n++;
    return n;
}

static int start_slot(void)
{
    if (last_prep_failure_us && now_us() - last_prep_failure_us < 200000) {
        errno = EAGAIN;
        return -1;
    }
    int k = -1;
    for (int i = 0; i < MAX_SLOTS; i++)
        if (slots[i].state == SLOT_FREE) {
            k = i;
            break;
        }
    if (k < 0)
        return -1;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return -1;
    int big = MSG_MAX + 65536;
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big);
    setsockopt(sv[1], SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
    fflush(stdout);
    pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS |
                                              SIGCHLD, NULL, NULL, NULL, 0);
    if (pid < 0) {
        int saved = errno;
        close(sv[0]);
        close(sv[1]);
        errno = saved;
        return -1;
    }
    if (pid == 0) {
        /* the slot: keep only its socket (3), the response pipe (4) and stderr */
        int s = sv[1];
        if (s != 3) {
            dup2(s, 3);
            s = 3;
        }
        dup2(STDOUT_FILENO, 4);
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
        }
        syscall(SYS_close_range, 5, ~0U, 0);
        struct slot_config cfg = { .answer_fd = 4, .work_root = opt.work_root, .ro_binds = opt.ro, .n_ro = opt.n_ro,
                                   .uid = (uid_t)(opt.uid_base + k), .client_uid = opt.client_uid,
                                   .client_gid = opt.client_gid };
        slot_main(s, &cfg);
    }
    close(sv[1]);
    slots[k] = (struct slot){ .state = SLOT_PREP, .pid = pid, .sock = sv[0], .run = NULL };
    return k;
}

/* The limits of the latest run: the next cgroups get them ahead, since consecutive runs (the tests of one
 * submission) usually share them; a run with other limits rewrites them on dispatch. */
static struct limits last_limits;
static int have_last_limits;

static void remove_cgroup(unsigned long long seq)
{
    if (seq == 0)
        return;
    timing_mark();
    if (cg_run_remove(seq) != 0)
        fprintf(stderr, "judge-sandbox: run cgroup run-%llu could not be removed\n", seq);
    timing_step("cgroup: remove (rmdir)");
}

/* Cgroups of ended runs, removed by deferred_work when no request is waiting. */
#define MAX_DOOMED 64
static unsigned long long doomed[MAX_DOOMED];
static int n_doomed;

static void remove_cgroup_later(unsigned long long seq)
{
    if (seq == 0)
        return;
    if (n_doomed == MAX_DOOMED)
        remove_cgroup(seq);
    else
        doomed[n_doomed++] = seq;
}

static void retire_slot(int k)
{
    kill(slots[k].pid, SIGKILL);
    waitpid(slots[k].pid, NULL, 0);
    close(slots[k].sock);
    if (slots[k].has_cg) {
        for (int i = 0; i < slots[k].cg.n; i++)
            close(slots[k].cg.dir[i]);
        remove_cgroup(slots[k].cg_seq);
    }
    remove_cgroup(slots[k].old_seq);
    slots[k] = (struct slot){ .state = SLOT_FREE, .sock = -1 };
}

/* Creates the cgroup of slot k's next run and hands it over; once clean, the slot forks the run's process into it
 * (JOINING). */
static int give_cgroup(int k)
{
    char err[512];
    struct cg_handles h;
    if (slots[k].has_cg && slots[k].reuse_cg) {
        /* the same cgroup again: no mkdir and rmdir per run (their CPU, and the kernel's deferred freeing of a
         * memory cgroup). Its limits are left as they are: the last run's processes may not be gone yet; a run
         * with other limits gets them on dispatch. The slot resets the memory peak once that run is gone. */
        struct msg_cgroup m = { .type = MSG_CGROUP, .v2 = slots[k].cg.v2, .n = 0 };
        slots[k].reuse_cg = 0;
        slots[k].state = SLOT_JOINING;
        if (send(slots[k].sock, &m, sizeof m, MSG_NOSIGNAL) != (ssize_t)sizeof m) {
            fprintf(stderr, "judge-sandbox: cannot pass a cgroup to a slot: %s\n", strerror(errno));
            retire_slot(k);
            return -1;
        }
        return 0;
    }
    unsigned long long seq = run_seq++;
    timing_mark();
    if (cg_run_create(seq, NULL, &h, err, sizeof err) != 0) {
        fprintf(stderr, "judge-sandbox: %s\n", err);
        retire_slot(k);
        return -1;
    }
    timing_step("cgroup: create (mkdir)");
    struct msg_cgroup m = { .type = MSG_CGROUP, .v2 = h.v2, .n = h.n };
    union {
        struct cmsghdr hdr;
        char buf[CMSG_SPACE(sizeof(int) * MAX_CG)];
    } ctrl;
    memset(&ctrl, 0, sizeof ctrl);
    struct iovec iov = { .iov_base = &m, .iov_len = sizeof m };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctrl.buf,
                         .msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)h.n) };
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)h.n);
    memcpy(CMSG_DATA(c), h.dir, sizeof(int) * (size_t)h.n);
    if (slots[k].has_cg) {
        for (int i = 0; i < slots[k].cg.n; i++)
            close(slots[k].cg.dir[i]);
        remove_cgroup(slots[k].old_seq);
        slots[k].old_seq = slots[k].cg_seq; /* removed once the slot has moved out */
    }
    slots[k].cg = h;
    slots[k].cg_seq = seq;
    slots[k].has_cg = 1;
    timing_mark();
    slots[k].cg_limited = have_last_limits && cg_run_limits(&h, &last_limits, err, sizeof err) == 0;
    timing_step("cgroup: limits ahead");
    slots[k].cg_lim = last_limits;
    slots[k].state = SLOT_JOINING;
    if (sendmsg(slots[k].sock, &mh, MSG_NOSIGNAL) != (ssize_t)sizeof m) {
        fprintf(stderr, "judge-sandbox: cannot pass a cgroup to a slot: %s\n", strerror(errno));
        retire_slot(k);
        return -1;
    }
    return 0;
}

static void unlink_running(struct run *r)
{
    for (struct run **p = &running; *p; p = &(*p)->next)
        if (*p == r) {
            *p = r->next;
            return;
        }
}

static int send_run(int k, struct run *r)
{
    size_t len = sizeof(struct msg_request) + r->strings_len;
    char *buf = malloc(len);
    if (buf == NULL)
        return -1;
    struct msg_request *m = (struct msg_request *)buf;
    memset(m, 0, sizeof *m);
    m->type = MSG_REQUEST;
    memcpy(m->id, r->id, sizeof m->id);
    m->lim = r->lim;
    m->has_stdin = r->in_fd >= 0;
    m->has_stdout = r->out_fd >= 0;
    m->has_stderr = r->err_fd >= 0;
    m->stdout_pipe = r->pipe_out >= 0;
    m->argc = r->argc;
    m->envc = r->envc;
    m->strings_len = r->strings_len;
    memcpy(buf + sizeof *m, r->strings, r->strings_len);
    int fds[8], n = 0;
    if (r->in_fd >= 0) fds[n++] = r->in_fd;
    if (r->out_fd >= 0) fds[n++] = r->out_fd;
    if (r->err_fd >= 0) fds[n++] = r->err_fd;
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int) * 8)];
    } ctrl;
    memset(&ctrl, 0, sizeof ctrl);
    struct iovec iov = { .iov_base = buf, .iov_len = len };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = n ? ctrl.buf : NULL,
                         .msg_controllen = n ? CMSG_SPACE(sizeof(int) * (size_t)n) : 0 };
    if (n > 0) {
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)n);
    }
    ssize_t s = sendmsg(slots[k].sock, &mh, MSG_NOSIGNAL);
    free(buf);
    return s == (ssize_t)len ? 0 : -1;
}

/* The first queued run that may start: a run waits while another with its id is in progress (running, or queued
 * before it), so that the responses for one id come in the order of its requests. */
static struct run *next_startable(struct run **prev_out)
{
    struct run *prev = NULL;
    for (struct run *q = queue_head; q; prev = q, q = q->next) {
        int waits = 0;
        for (struct run *r = running; r && !waits; r = r->next)
            waits = strcmp(r->id, q->id) == 0;
        for (struct run *e = queue_head; e != q && !waits; e = e->next)
            waits = strcmp(e->id, q->id) == 0;
        if (!waits) {
            *prev_out = prev;
            return q;
        }
    }
    return NULL;
}

/* Starts queued runs on idle slots; creates slots when none is idle. */
static void dispatch(void)
{
    struct run *prev, *next;
    while ((next = next_startable(&prev)) != NULL) {
        int k = -1;
        for (int i = 0; i < MAX_SLOTS; i++)
            if (slots[i].state == SLOT_IDLE) {
                if (k < 0)
                    k = i;
                if (next->has_work_id && slots[i].ahead && slots[i].ahead_dev == next->work_dev &&
                    slots[i].ahead_ino == next->work_ino) {
                    k = i; /* its /work is mounted ahead over this run's directory */
                    break;
                }
            }
        if (k < 0) {
            /* one preparing slot per waiting run */
            int waiting = 0;
            for (struct run *r = queue_head; r; r = r->next)
                waiting++;
            int coming = slot_count(SLOT_PREP) + slot_count(SLOT_JOINING);
            if (coming < waiting && start_slot() < 0 && errno != EAGAIN && coming == 0 && slot_count(SLOT_BUSY) == 0) {
                struct run *r = queue_head;
                queue_head = r->next;
                if (!queue_head)
                    queue_tail = NULL;
                answer_internal(r->id, "cannot create a sandbox slot: %s", strerror(errno));
                free_run(r);
                continue;
            }
            return;
        }
        struct run *r = next;
        if (prev)
            prev->next = r->next;
        else
            queue_head = r->next;
        if (queue_tail == r)
            queue_tail = prev;
        r->next = NULL;
        char err[512];
        int ready = slots[k].cg_limited && slots[k].cg_lim.mem_bytes == r->lim.mem_bytes &&
                    slots[k].cg_lim.nproc == r->lim.nproc && slots[k].cg_lim.bind_mode == r->lim.bind_mode &&
                    slots[k].cg_lim.work_bytes == r->lim.work_bytes &&
                    (!r->lim.bind_mode || slots[k].cg_lim.fsize_bytes == r->lim.fsize_bytes); /* work_ceiling() */
        last_limits = r->lim;
        have_last_limits = 1;
        if (!ready && cg_run_limits(&slots[k].cg, &r->lim, err, sizeof err) != 0) {
            answer_internal(r->id, "%s", err);
            free_run(r);
            retire_slot(k);
            continue;
        }
        /* what the cgroup holds now: a cgroup that serves the next run too (reuse_cg) keeps these limits, and a next
         * run with other limits must see that they differ (else it ran under this run's ceiling) */
        slots[k].cg_lim = r->lim;
        slots[k].cg_limited = 1;
        if (send_run(k, r) != 0) {
            answer_internal(r->id, "cannot pass the run to its slot: %s", strerror(errno));
            free_run(r);
            retire_slot(k);
            continue;
        }
        /* the slot has its own copies now */
        if (r->in_fd >= 0) { close(r->in_fd); r->in_fd = -1; }
        if (r->out_fd >= 0) { close(r->out_fd); r->out_fd = -1; }
        if (r->err_fd >= 0) { close(r->err_fd); r->err_fd = -1; }
        r->slot = k;
        slots[k].state = SLOT_BUSY;
        slots[k].run = r;
        r->next = running;
        running = r;
    }
}

static void keep_pool(void)
{
    int ready = slot_count(SLOT_IDLE) + slot_count(SLOT_PREP) + slot_count(SLOT_JOINING);
    for (; ready < opt.pool; ready++)
        if (start_slot() < 0)
            break;
    /* idle extras are kept up to 2N */
    for (int i = MAX_SLOTS - 1; i >= 0 && slot_count(SLOT_IDLE) > 2 * opt.pool; i--)
        if (slots[i].state == SLOT_IDLE)
            retire_slot(i);
}

static void slot_event(int k)
{
    static char buf[sizeof(struct msg_result) + sizeof(struct msg_text)];
    ssize_t n = recv(slots[k].sock, buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    uint32_t type = n >= 4 ? *(uint32_t *)buf : 0;
    if (n > 0 && type == MSG_READY && slots[k].state == SLOT_PREP) {
        give_cgroup(k);
        return;
    }
    if (n >= (ssize_t)sizeof(struct msg_idle) && type == MSG_IDLE && slots[k].state == SLOT_JOINING) {
        struct msg_idle *m = (struct msg_idle *)buf;
        remove_cgroup_later(slots[k].old_seq); /* the run's processes are gone */
        slots[k].old_seq = 0;
        slots[k].ahead = m->ahead;
        slots[k].ahead_dev = m->dev;
        slots[k].ahead_ino = m->ino;
        slots[k].state = SLOT_IDLE;
        return;
    }
    if (n >= (ssize_t)sizeof(struct msg_result) && type == MSG_RESULT && slots[k].state == SLOT_BUSY) {
        struct msg_result *m = (struct msg_result *)buf;
        struct run *r = slots[k].run;
        m->r.status[sizeof m->r.status - 1] = '\0';
        m->r.message[sizeof m->r.message - 1] = '\0';
        unlink_running(r);
        slots[k].run = NULL;
        free_run(r); /* the slot has answered it */
        /* an OOM kill is counted for the cgroup's lifetime (memory.oom_control, memory.events): after MLE, and after
         * a run that failed, a new cgroup; and after a run that left memory charged to it (CG_REUSE_LEFT_MAX) */
        slots[k].reuse_cg = cg_reusable() && !m->fresh_cg && strcmp(m->r.status, "mle") != 0 &&
                            strcmp(m->r.status, "internal") != 0;
        if (m->retire) {
            retire_slot(k);
        } else { /* its next cgroup is made when no request waits (deferred_work): the client's next request
                  * usually arrives now, and another idle slot takes it */
            slots[k].state = SLOT_JOINING;
            slots[k].need_cg = 1;
        }
        return;
    }
    /* EOF, an error, a failure report or a message out of place: the slot is gone */
    if (n > 0 && type == MSG_FAIL) {
        struct msg_text *t = (struct msg_text *)buf;
        t->text[sizeof t->text - 1] = '\0';
        fprintf(stderr, "judge-sandbox: slot preparation failed: %s\n", t->text);
        /* a run waiting for this slot learns why rather than waiting for ever */
        last_prep_failure_us = now_us();
        if (queue_head != NULL) {
            struct run *q = queue_head;
            queue_head = q->next;
            if (!queue_head)
                queue_tail = NULL;
            answer_internal(q->id, "cannot prepare a sandbox slot: %s", t->text);
            free_run(q);
        }
    } else if (slots[k].state == SLOT_PREP) {
        last_prep_failure_us = now_us();
    }
    struct run *r = slots[k].run;
    retire_slot(k);
    if (r != NULL) {
        unlink_running(r);
        answer_internal(r->id, "the sandbox slot died during the run");
        free_run(r);
    }
}

/* ------------------------------------------------------------------ requests */

static int valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64)
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
              *p == '-'))
            return 0;
    return 1;
}

static struct run *find_run(const char *id, int *queued)
{
    for (struct run *r = queue_head; r; r = r->next)
        if (strcmp(r->id, id) == 0) {
            *queued = 1;
            return r;
        }
    for (struct run *r = running; r; r = r->next)
        if (strcmp(r->id, id) == 0) {
            *queued = 0;
            return r;
        }
    return NULL;
}

/* Cancels every run with this id; an id finished already (or never seen) is ignored. */
static void cancel_run(const char *id)
{
    int queued = 0;
    struct run *r;
    while ((r = find_run(id, &queued)) != NULL && queued) {
        struct run *prev = NULL;
        for (struct run *q = queue_head; q; prev = q, q = q->next)
            if (q == r) {
                if (prev) prev->next = q->next; else queue_head = q->next;
                if (queue_tail == q) queue_tail = prev;
                break;
            }
        answer_internal(r->id, "cancelled");
        free_run(r);
    }
    for (r = running; r; r = r->next)
        if (strcmp(r->id, id) == 0) {
            uint32_t m = MSG_CANCEL;
            send(slots[r->slot].sock, &m, sizeof m, MSG_NOSIGNAL | MSG_DONTWAIT);
        }
}

struct numkey {
    const char *name;
    size_t off;
    int positive;
};
#define NK(n, f, p) { n, offsetof(struct limits, f), p }
static const struct numkey numkeys[] = {
    NK("cpu_ms", cpu_ms, 1), NK("wall_ms", wall_ms, 1), NK("mem_bytes", mem_bytes, 1),
    NK("stack_bytes", stack_bytes, 1), NK("nofile", nofile, 1), NK("fsize_bytes", fsize_bytes, 0),
    NK("nproc", nproc, 1), NK("out_bytes", out_bytes, 0), NK("err_bytes", err_bytes, 0),
    NK("tmp_bytes", tmp_bytes, 1), NK("work_bytes", work_bytes, 1),
};

/* In socket mode the run's host files are opened with the client's identity (fsuid and fsgid; the daemon keeps no
 * supplementary groups): a client can never make the daemon read or create a file it could not open itself, and what
 * the daemon creates for it is the client's. In stdio mode the client is the daemon's parent, root. */
static void as_client(int on)
{
    if (opt.client_uid < 0)
        return;
    if (on) {
        setfsgid((gid_t)opt.client_gid);
        setfsuid((uid_t)opt.client_uid);
    } else {
        setfsuid(0);
        setfsgid(0);
    }
}

static int open_output(const char *path, const char *which, char *err, size_t errlen)
{
    as_client(1);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    int saved = errno;
    as_client(0);
    errno = saved;
    if (fd < 0)
        snprintf(err, errlen, "%s: cannot create '%s': %s", which, path, strerror(errno));
    return fd;
}

/* Handles one complete request: fields[0..n) are "key=value". */
static void handle_request(char **fields, int n)
{
    char err[768] = "";
    const char *id = NULL, *cancel = NULL, *work = NULL, *mode = NULL, *in = NULL, *out = NULL, *errp = NULL;
    const char *merge = NULL, *limit_as = NULL, *pin = NULL, *pout = NULL, *discard = NULL;
    struct limits lim = { .cpu_ms = 10000, .wall_ms = -1, .mem_bytes = 256LL << 20, .stack_bytes = -1,
                          .nofile = 256, .fsize_bytes = 64LL << 20, .nproc = 64, .out_bytes = 8LL << 20,
                          .err_bytes = 64LL << 10, .tmp_bytes = 64LL << 20, .work_bytes = 128LL << 20 };
    int seen_num[sizeof numkeys / sizeof numkeys[0]] = { 0 };
    int argc = 0, envc = 0;
    size_t strings_len = 0;

    /* the id first, so that every error can name it */
    for (int i = 0; i < n; i++)
        if (strncmp(fields[i], "id=", 3) == 0 && id == NULL)
            id = fields[i] + 3;
    const char *rid = id != NULL && valid_id(id) ? id : "";

    for (int i = 0; i < n; i++) {
        char *f = fields[i], *eq = strchr(f, '=');
        if (eq == NULL) {
            snprintf(err, sizeof err, "malformed field '%.40s' (expected key=value)", f);
            goto bad;
        }
        *eq = '\0';
        const char *k = f, *v = eq + 1;
        const char **single = NULL;
        if (strcmp(k, "id") == 0) single = &id;
        else if (strcmp(k, "cancel") == 0) single = &cancel;
        else if (strcmp(k, "work") == 0) single = &work;
        else if (strcmp(k, "work_mode") == 0) single = &mode;
        else if (strcmp(k, "stdin") == 0) single = &in;
        else if (strcmp(k, "stdout") == 0) single = &out;
        else if (strcmp(k, "stderr") == 0) single = &errp;
        else if (strcmp(k, "merge_stderr") == 0) single = &merge;
        else if (strcmp(k, "limit_as") == 0) single = &limit_as;
        else if (strcmp(k, "stdin_pipe") == 0) single = &pin;
        else if (strcmp(k, "stdout_pipe") == 0) single = &pout;
        else if (strcmp(k, "stdout_pipe_discard") == 0) single = &discard;
        if (single != NULL) {
            if (*single != NULL && single != &id) {
                snprintf(err, sizeof err, "duplicate key '%s'", k);
                goto bad;
            }
            if (single == &id && i > 0 && id != v) {
                /* id was pre-scanned: a second id field is a duplicate */
                for (int j = 0; j < i; j++)
                    if (strncmp(fields[j], "id", 3) == 0) {
                        snprintf(err, sizeof err, "duplicate key 'id'");
                        goto bad;
                    }
            }
            *single = v;
            continue;
        }
        if (strcmp(k, "arg") == 0) {
            argc++;
            strings_len += strlen(v) + 1;
            continue;
        }
        if (strcmp(k, "env") == 0) {
            if (v[0] == '=' || strchr(v, '=') == NULL) {
                snprintf(err, sizeof err, "env '%.60s' is not NAME=value", v);
                goto bad;
            }
            envc++;
            strings_len += strlen(v) + 1;
            continue;
        }
        size_t nk = 0;
        for (; nk < sizeof numkeys / sizeof numkeys[0]; nk++)
            if (strcmp(k, numkeys[nk].name) == 0)
                break;
        if (nk == sizeof numkeys / sizeof numkeys[0]) {
            snprintf(err, sizeof err, "unknown key '%.60s'", k);
            goto bad;
        }
        if (seen_num[nk]++) {
            snprintf(err, sizeof err, "duplicate key '%s'", k);
            goto bad;
        }
        char *end;
        errno = 0;
        long long x = strtoll(v, &end, 10);
        if (errno || end == v || *end || x < 0 || (numkeys[nk].positive && x == 0) || v[0] == '+' ||
            v[0] == ' ') {
            snprintf(err, sizeof err, "%s: '%.40s' is not a %s integer", k, v,
                     numkeys[nk].positive ? "positive" : "non-negative");
            goto bad;
        }
        *(long long *)((char *)&lim + numkeys[nk].off) = x;
    }
    if (id == NULL && cancel == NULL) {
        snprintf(err, sizeof err, "missing id");
        goto bad;
    }
    if (id != NULL && !valid_id(id)) {
        snprintf(err, sizeof err, "invalid id (1-64 characters of [A-Za-z0-9_-])");
        goto bad;
    }
    if (cancel != NULL) {
        if (argc || envc || work || mode || in || out || errp || pin || pout || discard) {
            snprintf(err, sizeof err, "a cancel request carries only id and cancel");
            goto bad;
        }
        cancel_run(cancel);
        return;
    }
    if (argc == 0) {
        snprintf(err, sizeof err, "missing arg (the program)");
        goto bad;
    }
    if (work == NULL) {
        snprintf(err, sizeof err, "missing work");
        goto bad;
    }
    size_t rootlen = strlen(opt.work_root);
    if (strncmp(work, opt.work_root, rootlen) != 0 || work[rootlen] != '/') {
        size_t alt = strlen(opt.work_root_arg);
        if (strncmp(work, opt.work_root_arg, alt) == 0 && work[alt] == '/')
            rootlen = alt;
    }
    if ((strncmp(work, opt.work_root, rootlen) != 0 && strncmp(work, opt.work_root_arg, rootlen) != 0) ||
        work[rootlen] != '/' || work[rootlen + 1] == '\0' ||
        strstr(work, "/../") || strstr(work, "/./") || strstr(work, "//") ||
        (strlen(work) >= 3 && strcmp(work + strlen(work) - 3, "/..") == 0) ||
        (strlen(work) >= 2 && strcmp(work + strlen(work) - 2, "/.") == 0)) {
        snprintf(err, sizeof err, "work '%.200s' is not a directory under the work root %s", work, opt.work_root);
        goto bad;
    }
    const char *rel = work + rootlen + 1;
    strings_len += strlen(rel) + 1;
    if (mode != NULL && strcmp(mode, "overlay") != 0 && strcmp(mode, "bind") != 0) {
        snprintf(err, sizeof err, "work_mode '%.40s' (overlay or bind)", mode);
        goto bad;
    }
    if ((merge && strcmp(merge, "0") && strcmp(merge, "1")) || (limit_as && strcmp(limit_as, "0") &&
                                                                strcmp(limit_as, "1"))) {
        snprintf(err, sizeof err, "%s must be 0 or 1", merge && strcmp(merge, "0") && strcmp(merge, "1")
                                                          ? "merge_stderr" : "limit_as");
        goto bad;
    }
    lim.bind_mode = mode != NULL && strcmp(mode, "bind") == 0;
    struct stat work_st;
    int has_work_id = !lim.bind_mode && stat(work, &work_st) == 0; /* a hint only: the slot checks the directory */
    lim.merge_stderr = merge != NULL && strcmp(merge, "1") == 0;
    lim.limit_as = limit_as != NULL && strcmp(limit_as, "1") == 0;
    if (lim.wall_ms < 0)
        lim.wall_ms = lim.cpu_ms * 2 + 1000;
    if (lim.stack_bytes < 0)
        lim.stack_bytes = lim.mem_bytes;
    if (lim.merge_stderr && errp != NULL) {
        snprintf(err, sizeof err, "stderr and merge_stderr=1 exclude each other");
        goto bad;
    }
    if ((pin != NULL && in != NULL) || (pout != NULL && out != NULL)) {
        snprintf(err, sizeof err, "%s", pin != NULL && in != NULL ? "stdin and stdin_pipe exclude each other"
                                                                  : "stdout and stdout_pipe exclude each other");
        goto bad;
    }
    if ((pin != NULL && !valid_id(pin)) || (pout != NULL && !valid_id(pout))) {
        snprintf(err, sizeof err, "invalid pipe name '%.70s' (1-64 characters of [A-Za-z0-9_-])",
                 pin != NULL && !valid_id(pin) ? pin : pout);
        goto bad;
    }
    if (pin != NULL && pout != NULL && strcmp(pin, pout) == 0) {
        snprintf(err, sizeof err, "stdin_pipe and stdout_pipe name the same pipe: a run cannot read its own output");
        goto bad;
    }
    if (pout != NULL && lim.merge_stderr) {
        snprintf(err, sizeof err, "merge_stderr=1 needs a stdout file, not stdout_pipe");
        goto bad;
    }
    if (discard != NULL && (pout == NULL || (strcmp(discard, "0") && strcmp(discard, "1")))) {
        snprintf(err, sizeof err, "%s", pout == NULL ? "stdout_pipe_discard needs stdout_pipe"
                                                     : "stdout_pipe_discard must be 0 or 1");
        goto bad;
    }
    /* the program: absolute, or ./name in /work */
    for (int i = 0; i < n; i++)
        if (strcmp(fields[i], "arg") == 0) {
            const char *a0 = fields[i] + 4;
            if (a0[0] != '/' && strncmp(a0, "./", 2) != 0) {
                snprintf(err, sizeof err, "arg[0] '%.60s' is neither absolute nor ./name", a0);
                goto bad;
            }
            break;
        }

    struct run *r = calloc(1, sizeof *r);
    if (r == NULL) {
        snprintf(err, sizeof err, "out of memory");
        goto bad;
    }
    snprintf(r->id, sizeof r->id, "%s", id);
    r->lim = lim;
    r->in_fd = r->out_fd = r->err_fd = -1;
    r->pipe_in = r->pipe_out = -1;
    r->slot = -1;
    r->has_work_id = has_work_id;
    if (has_work_id) {
        r->work_dev = work_st.st_dev;
        r->work_ino = work_st.st_ino;
    }
    r->argc = (uint32_t)argc;
    r->envc = (uint32_t)envc;
    r->strings_len = (uint32_t)strings_len;
    r->strings = malloc(strings_len);
    if (r->strings == NULL) {
        free(r);
        snprintf(err, sizeof err, "out of memory");
        goto bad;
    }
    char *p = r->strings;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n; i++)
            if (strcmp(fields[i], pass ? "env" : "arg") == 0) {
                size_t l = strlen(fields[i] + 4) + 1;
                memcpy(p, fields[i] + 4, l);
                p += l;
            }
    memcpy(p, rel, strlen(rel) + 1);

    if (in != NULL) {
        as_client(1);
        r->in_fd = open(in, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        int saved = errno;
        as_client(0);
        errno = saved;
        struct stat st;
        if (r->in_fd < 0) {
            snprintf(err, sizeof err, "stdin: cannot open '%.200s': %s", in, strerror(errno));
            goto bad_run;
        }
        if (fstat(r->in_fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            snprintf(err, sizeof err, "stdin: '%.200s' is not a regular file", in);
            goto bad_run;
        }
        fcntl(r->in_fd, F_SETFL, 0);
    }
    if (out != NULL && (r->out_fd = open_output(out, "stdout", err, sizeof err)) < 0)
        goto bad_run;
    if (errp != NULL && (r->err_fd = open_output(errp, "stderr", err, sizeof err)) < 0)
        goto bad_run;
    if (pin != NULL || pout != NULL) {
        /* last, so that a refused request takes no end of a pipe */
        int ri = pin ? pipe_find_or_create(pin, err, sizeof err) : -1;
        if (pin && ri < 0)
            goto bad_run;
        if (pin && pipes[ri].has_reader) {
            snprintf(err, sizeof err, "stdin_pipe '%s' already has a reader", pin);
            goto bad_run;
        }
        int wi = pout ? pipe_find_or_create(pout, err, sizeof err) : -1;
        if (pout && (wi < 0 || pipes[wi].has_writer)) {
            if (wi >= 0)
                snprintf(err, sizeof err, "stdout_pipe '%s' already has a writer", pout);
            if (ri >= 0 && !pipes[ri].has_reader && !pipes[ri].has_writer)
                pipe_update(ri); /* created for this request only: nothing waits on it */
            goto bad_run;
        }
        if (ri >= 0) {
            r->in_fd = fcntl(pipes[ri].rfd, F_DUPFD_CLOEXEC, 0);
            pipes[ri].has_reader = 1;
            r->pipe_in = ri;
        }
        if (wi >= 0) {
            r->out_fd = fcntl(pipes[wi].wfd, F_DUPFD_CLOEXEC, 0);
            pipes[wi].has_writer = 1;
            pipes[wi].discard = discard != NULL && strcmp(discard, "1") == 0;
            r->pipe_out = wi;
        }
        if ((ri >= 0 && r->in_fd < 0) || (wi >= 0 && r->out_fd < 0)) {
            snprintf(err, sizeof err, "cannot pass a pipe to the run: %s", strerror(errno));
            goto bad_run; /* free_run marks the ends taken as done */
        }
    }

    if (queue_tail) queue_tail->next = r; else queue_head = r;
    queue_tail = r;
    return;
bad_run:
    free_run(r);
bad:
    answer_internal(rid, "bad request: %s", err);
}

/* stdin framing: fields end with NUL, a request with an empty field */
static char *inbuf;
static size_t inlen, incap;
static int discarding; /* skipping the rest of an oversized request */

/* The id of a request refused as a whole (too many fields, too large), so that the client can match the answer: the
 * first "id=" field among buf's complete fields (up to the request's end or len) with a valid value, else "". */
static const char *refused_id(const char *buf, size_t len)
{
    size_t start = 0;
    for (size_t pos = 0; pos < len; pos++) {
        if (buf[pos] != '\0')
            continue;
        if (pos == start)
            break; /* the request's end */
        if (pos - start > 3 && memcmp(buf + start, "id=", 3) == 0 && valid_id(buf + start + 3))
            return buf + start + 3;
        start = pos + 1;
    }
    return "";
}

static void process_input(void)
{
    size_t start = 0, pos = 0;
    char *fields[4096];
    int nf = 0;
    int overflow = 0;
    for (; pos < inlen; pos++) {
        if (inbuf[pos] != '\0')
            continue;
        if (pos == start) { /* empty field: end of request */
            if (discarding)
                discarding = 0;
            else if (overflow)
                answer_internal(refused_id(inbuf, pos + 1), "bad request: more than %d fields",
                                (int)(sizeof fields / sizeof fields[0]));
            else if (nf > 0)
                handle_request(fields, nf);
            else
                answer_internal("", "bad request: empty request");
            nf = 0;
            overflow = 0;
            start = pos + 1;
            /* the consumed prefix is dropped below */
            memmove(inbuf, inbuf + start, inlen - start);
            inlen -= start;
            pos = (size_t)-1;
            start = 0;
            continue;
        }
        if (nf < (int)(sizeof fields / sizeof fields[0]))
            fields[nf++] = inbuf + start;
        else
            overflow = 1;
        start = pos + 1;
    }
    if (inlen > REQUEST_MAX) {
        answer_internal(refused_id(inbuf, inlen), "bad request: larger than %d bytes", REQUEST_MAX);
        /* drop what we have; skip to the end of this request */
        int ended_field = inlen > 0 && inbuf[inlen - 1] == '\0';
        inlen = 0;
        discarding = 1;
        (void)ended_field;
    }
}

static int read_input(void)
{
    if (incap - inlen < 65536) {
        size_t ncap = incap ? incap * 2 : 262144;
        char *nb = realloc(inbuf, ncap);
        if (nb == NULL)
            return -1;
        inbuf = nb;
        incap = ncap;
    }
    ssize_t n = read(0, inbuf + inlen, incap - inlen);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN ? 1 : -1;
    if (n == 0)
        return 0;
    inlen += (size_t)n;
    process_input();
    return 1;
}

/* ------------------------------------------------------------------ main */

/* Ends every run, slot and pipe of the current client. The cgroup root stays for the next client (socket mode). */
static void end_session(void)
{
    for (int i = 0; i < MAX_SLOTS; i++)
        if (slots[i].state != SLOT_FREE)
            retire_slot(i);
    while (running) {
        struct run *r = running;
        running = r->next;
        free_run(r);
    }
    while (queue_head) {
        struct run *r = queue_head;
        queue_head = r->next;
        free_run(r);
    }
    queue_tail = NULL;
    for (int i = 0; i < MAX_PIPES; i++)
        if (pipes[i].used) {
            pipe_close_end(&pipes[i].rfd);
            pipe_close_end(&pipes[i].wfd);
            pipes[i].used = 0;
            pipes_used--;
        }
    inlen = 0;
    discarding = 0;
    while (n_doomed > 0)
        remove_cgroup(doomed[--n_doomed]);
}

static void shutdown_all(void)
{
    end_session();
    cg_shutdown();
}

/* Starts the first slot, which proves that namespaces and mounts work, and fills the pool. 0, or -1 with err set. */
static int start_pool(char *err, size_t errlen)
{
    int k = start_slot();
    if (k < 0) {
        snprintf(err, errlen, "cannot create namespaces (clone NEWPID|NEWNS|NEWNET|NEWIPC|NEWUTS): %s; needs root with "
                              "CAP_SYS_ADMIN and a kernel with these namespaces", strerror(errno));
        return -1;
    }
    struct pollfd pf = { .fd = slots[k].sock, .events = POLLIN };
    if (poll(&pf, 1, 20000) <= 0) {
        snprintf(err, errlen, "the first sandbox slot did not become ready within 20 s");
        return -1;
    }
    struct msg_text t;
    ssize_t n = recv(slots[k].sock, &t, sizeof t, 0);
    if (n < 4 || t.type != MSG_READY) {
        if (n >= (ssize_t)sizeof t && t.type == MSG_FAIL) {
            t.text[sizeof t.text - 1] = '\0';
            snprintf(err, errlen, "cannot prepare a sandbox slot: %s", t.text);
        } else
            snprintf(err, errlen, "the first sandbox slot died while preparing");
        return -1;
    }
    if (give_cgroup(k) != 0) {
        snprintf(err, errlen, "cannot give the first sandbox slot its cgroup");
        return -1;
    }
    keep_pool();
    return 0;
}

static void print_ready(const char *extra)
{
    dprintf(STDOUT_FILENO, "{\"ready\":true,\"cgroup\":\"%s\",\"pool\":%d,\"uid_base\":%ld%s}\n", cg_version(), opt.pool,
            opt.uid_base, extra);
}

/* Socket mode: the listening socket, and clients accepted while another was being served (they wait their turn). */
static int g_listener = -1;
#define MAX_WAITING 8
static int waiting[MAX_WAITING];
static int n_waiting;
static int g_null = -1;
static void accept_client(void);

/* Serves requests from fd 0, with responses on fd 1, until end-of-file on fd 0 (returns 0) or a stop signal (1). */
/* 1 when a request (or the end of the input) is waiting to be read. */
static int input_waiting(void)
{
    struct pollfd p = { .fd = 0, .events = POLLIN };
    return poll(&p, 1, 0) > 0;
}

/* Work that is not on any request's path: the next cgroups of slots that have answered, and the removal of ended
 * runs' cgroups. Done between requests, one item at a time, stopping as soon as a request waits. */
static void deferred_work(void)
{
    for (int i = 0; i < MAX_SLOTS; i++)
        if (slots[i].state == SLOT_JOINING && slots[i].need_cg) {
            if (input_waiting())
                return;
            slots[i].need_cg = 0;
            give_cgroup(i);
        }
    while (n_doomed > 0) {
        if (input_waiting())
            return;
        remove_cgroup(doomed[--n_doomed]);
    }
}

static int serve(const sigset_t *unblocked)
{
    int input_open = 1;
    while (!stop_requested && input_open) {
        struct pollfd pfds[MAX_SLOTS + 2 + MAX_PIPES];
        int map[MAX_SLOTS + 2 + MAX_PIPES], np = 0;
        pfds[np] = (struct pollfd){ .fd = 0, .events = POLLIN };
        map[np++] = -1;
        if (g_listener >= 0) { /* refuse strangers at once, even while a client is served */
            pfds[np] = (struct pollfd){ .fd = g_listener, .events = POLLIN };
            map[np++] = -2;
        }
        for (int i = 0; i < MAX_SLOTS; i++)
            if (slots[i].state != SLOT_FREE) {
                pfds[np] = (struct pollfd){ .fd = slots[i].sock, .events = POLLIN };
                map[np++] = i;
            }
        for (int i = 0; pipes_used > 0 && i < MAX_PIPES; i++)
            if (pipe_draining(i)) {
                pfds[np] = (struct pollfd){ .fd = pipes[i].rfd, .events = POLLIN };
                map[np++] = MAX_SLOTS + i;
            }
        struct timespec ts = { .tv_sec = queue_head ? 0 : 1, .tv_nsec = queue_head ? 50000000 : 0 };
        int ready = ppoll(pfds, (nfds_t)np, &ts, unblocked);
        if (ready < 0 && errno != EINTR)
            break;
        for (int j = 0; ready > 0 && j < np; j++) {
            if (!pfds[j].revents)
                continue;
            if (map[j] == -1) {
                if (read_input() <= 0)
                    input_open = 0;
            } else if (map[j] == -2) {
                accept_client();
            } else if (map[j] >= MAX_SLOTS) {
                if (pipe_draining(map[j] - MAX_SLOTS))
                    pipe_drain(map[j] - MAX_SLOTS);
            } else if (slots[map[j]].state != SLOT_FREE)
                slot_event(map[j]);
        }
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
        dispatch();
        keep_pool();
        dispatch();
        deferred_work();
    }
    return stop_requested ? 1 : 0;
}

/* Tells systemd (Type=notify) that the socket is ready, when started by it. */
static void notify_systemd(const char *state)
{
    const char *path = getenv("NOTIFY_SOCKET");
    if (path == NULL || (path[0] != '/' && path[0] != '@'))
        return;
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    size_t len = strlen(path);
    if (len >= sizeof sa.sun_path)
        return;
    memcpy(sa.sun_path, path, len);
    if (sa.sun_path[0] == '@')
        sa.sun_path[0] = '\0';
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    if (sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa,
               (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)) < 0)
        fprintf(stderr, "judge-sandbox: cannot notify systemd: %s\n", strerror(errno));
    close(fd);
}

/* Creates the listening socket: owned by the client, mode 0600. A stale socket left by an earlier daemon is replaced;
 * any other file at that path is refused. */
static int open_listener(char *err, size_t errlen)
{
    struct stat st;
    if (lstat(opt.listen, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            snprintf(err, errlen, "--listen '%s' exists and is not a socket", opt.listen);
            return -1;
        }
        unlink(opt.listen);
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "socket: %s", strerror(errno));
        return -1;
    }
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    memcpy(sa.sun_path, opt.listen, strlen(opt.listen) + 1);
    mode_t old = umask(0177);
    int rc = bind(fd, (struct sockaddr *)&sa, sizeof sa);
    umask(old);
    if (rc != 0 || chown(opt.listen, (uid_t)opt.client_uid, (gid_t)opt.client_gid) != 0 || listen(fd, 8) != 0) {
        snprintf(err, errlen, "--listen '%s': %s", opt.listen, strerror(errno));
        close(fd);
        unlink(opt.listen);
        return -1;
    }
    return fd;
}

/* Refuses a connection with a ready:false line naming why. */
static void refuse(int conn, const char *why)
{
    int saved = dup(STDOUT_FILENO);
    dup2(conn, STDOUT_FILENO);
    print_ready_false("%s", why);
    dup2(saved >= 0 ? saved : g_null, STDOUT_FILENO);
    if (saved >= 0)
        close(saved);
    close(conn);
}

/* Accepts one connection: a peer of another uid is refused at once; the client waits for its turn. */
static void accept_client(void)
{
    int conn = accept4(g_listener, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (conn < 0)
        return;
    fcntl(conn, F_SETFL, 0);
    struct ucred cred;
    socklen_t len = sizeof cred;
    char why[256];
    if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || len != sizeof cred) {
        refuse(conn, "cannot tell who the peer is (SO_PEERCRED)");
        return;
    }
    if (cred.uid != (uid_t)opt.client_uid) {
        snprintf(why, sizeof why, "uid %ld may not use this sandbox: it serves uid %ld only (--client-uid)",
                 (long)cred.uid, opt.client_uid);
        fprintf(stderr, "judge-sandbox: refused a connection from uid %ld (pid %ld)\n", (long)cred.uid, (long)cred.pid);
        refuse(conn, why);
        return;
    }
    if (n_waiting >= MAX_WAITING) {
        refuse(conn, "too many clients waiting for this sandbox (it serves one at a time)");
        return;
    }
    waiting[n_waiting++] = conn;
}

/* Socket mode: one client at a time, each a session of the stdio protocol on its connection. */
static int serve_socket(const sigset_t *unblocked)
{
    char err[2048];
    g_listener = open_listener(err, sizeof err);
    if (g_listener < 0) {
        print_ready_false("%s", err);
        return 1;
    }
    char extra[PATH_MAX + 64];
    snprintf(extra, sizeof extra, ",\"listen\":\"%s\",\"client_uid\":%ld", opt.listen, opt.client_uid);
    print_ready(extra);
    notify_systemd("READY=1");
    g_null = open("/dev/null", O_RDWR | O_CLOEXEC);
    dup2(g_null, STDOUT_FILENO); /* the ready line was for whoever started the daemon; fd 1 is each client's next */
    while (!stop_requested) {
        if (n_waiting == 0) {
            struct pollfd pf = { .fd = g_listener, .events = POLLIN };
            int ready = ppoll(&pf, 1, NULL, unblocked);
            if (ready < 0 && errno != EINTR)
                break;
            if (ready > 0)
                accept_client();
            continue;
        }
        int conn = waiting[0];
        memmove(waiting, waiting + 1, sizeof waiting[0] * (size_t)--n_waiting);
        /* the session's requests come from fd 0 and its responses (the daemon's and the slots') go to fd 1 */
        dup2(conn, STDIN_FILENO);
        dup2(conn, STDOUT_FILENO);
        close(conn);
        if (start_pool(err, sizeof err) != 0)
            print_ready_false("%s", err);
        else {
            print_ready("");
            serve(unblocked);
        }
        end_session();
        dup2(g_null, STDIN_FILENO);
        dup2(g_null, STDOUT_FILENO);
    }
    for (int i = 0; i < n_waiting; i++)
        close(waiting[i]);
    close(g_listener);
    unlink(opt.listen);
    notify_systemd("STOPPING=1");
    return 0;
}

int main(int argc, char **argv)
{
    char err[2048];
    signal(SIGPIPE, SIG_IGN);
    timing_init("daemon");
    if (parse_options(argc, argv, err, sizeof err) != 0) {
        print_ready_false("%s", err);
        return 1;
    }
    if (geteuid() != 0) {
        print_ready_false("judge-sandbox must run as root (euid 0) to create namespaces, mounts and cgroups");
        return 1;
    }
    /* socket mode: supplementary groups would widen what the client's identity may open (see as_client) */
    if (opt.listen != NULL && setgroups(0, NULL) != 0) {
        print_ready_false("cannot drop supplementary groups: %s", strerror(errno));
        return 1;
    }
    if (resolve_work_root(err, sizeof err) != 0) {
        print_ready_false("%s", err);
        return 1;
    }
    if (claim_uid_range(err, sizeof err) != 0) {
        print_ready_false("%s", err);
        return 1;
    }
    if (cg_setup(opt.cgroup_mode, opt.cgroup_root, err, sizeof err) != 0) {
        print_ready_false("%s", err);
        return 1;
    }
    struct sigaction sa = { .sa_handler = on_stop };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigset_t block, empty;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigprocmask(SIG_BLOCK, &block, NULL);
    sigemptyset(&empty);

    if (start_pool(err, sizeof err) != 0) {
        print_ready_false("%s", err);
        shutdown_all();
        return 1;
    }
    int status = 0;
    if (opt.listen != NULL) {
        end_session(); /* the pool proved it works; each client gets slots that answer on its own connection */
        status = serve_socket(&empty);
    } else {
        print_ready("");
        serve(&empty);
    }
    shutdown_all();
    timing_report();
    return status;
}
