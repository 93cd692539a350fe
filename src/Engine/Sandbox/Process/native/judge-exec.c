/*
 * judge-exec: runs one untrusted program under limits and reports what it used as one JSON line.
 *
 *   judge-exec --cpu-ms N --wall-ms N --mem-bytes N [--limit-as] [--stack-bytes N] [--nproc N]
 *              [--out-bytes N] [--err-bytes N] [--fsize-bytes N] [--nofile N] --cwd DIR
 *              [--stdin F] [--stdout F] [--stderr F] [--merge-stderr] [--env K=V]... -- /abs/prog args...
 *
 * Stages: parse arguments -> start the child (session, streams, rlimits, clean environment, exec)
 *         -> supervise (copy capped output, enforce CPU / wall / memory) -> clean up leftovers -> report.
 * The helper exits 0 whenever it printed a report (including status "internal"); non-zero only when it
 * could not even do that. SIGINT / SIGTERM / SIGHUP make it kill the run and report "internal".
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TICK_MS 10            /* longest sleep between limit checks */
#define TREE_SCAN_EVERY 5     /* scan /proc for the whole process tree every N ticks */
#define CHUNK (64 * 1024)

/* ------------------------------------------------------------------ options */

struct options {
    long long cpu_ms, wall_ms, mem_bytes, stack_bytes, out_bytes, err_bytes, fsize_bytes;
    long long nproc, nofile;
    int limit_as, merge_stderr;
    const char *cwd, *stdin_path, *stdout_path, *stderr_path;
    char **envp;     /* NULL-terminated, points into argv */
    char **argv;     /* the program and its arguments */
};

/* ------------------------------------------------------------------ report */

struct report {
    const char *status; /* ok nonzero signaled tle_cpu tle_wall mle ole internal */
    int exit_code, signal;
    long long cpu_us, wall_us, maxrss_kb, stdout_bytes, stderr_bytes;
    char message[512];
};

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static int print_report(const struct report *r)
{
    printf("{\"status\":\"%s\",\"exit\":%d,\"signal\":%d,\"cpu_us\":%lld,\"wall_us\":%lld,\"maxrss_kb\":%lld,"
           "\"stdout_bytes\":%lld,\"stderr_bytes\":%lld,\"message\":",
           r->status, r->exit_code, r->signal, r->cpu_us, r->wall_us, r->maxrss_kb, r->stdout_bytes,
           r->stderr_bytes);
    json_string(stdout, r->message);
    printf("}\n");
    return fflush(stdout) == 0 ? 0 : 2;
}

static int report_internal(const char *fmt, ...)
{
    struct report r = { .status = "internal" };
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r.message, sizeof r.message, fmt, ap);
    va_end(ap);
    return print_report(&r);
}

/* ------------------------------------------------------------------ parse arguments */

static int parse_number(const char *name, const char *text, long long *out, char *err, size_t errlen)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < 0) {
        snprintf(err, errlen, "invalid value '%s' for %s", text, name);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_options(int argc, char **argv, struct options *o, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    o->cpu_ms = o->wall_ms = o->mem_bytes = o->stack_bytes = -1;
    o->nproc = 64;
    o->out_bytes = 8LL << 20;
    o->err_bytes = 64LL << 10;
    o->fsize_bytes = 64LL << 20;
    o->nofile = 256;

    /* envp can never hold more than argc entries */
    o->envp = calloc((size_t)argc + 1, sizeof(char *));
    if (o->envp == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int envc = 0;

    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(a, "--limit-as") == 0) { o->limit_as = 1; continue; }
        if (strcmp(a, "--merge-stderr") == 0) { o->merge_stderr = 1; continue; }
        if (i + 1 >= argc) {
            snprintf(err, errlen, "missing value for %s", a);
            return -1;
        }
        const char *v = argv[++i];
        long long *num = NULL;
        if (strcmp(a, "--cpu-ms") == 0) num = &o->cpu_ms;
        else if (strcmp(a, "--wall-ms") == 0) num = &o->wall_ms;
        else if (strcmp(a, "--mem-bytes") == 0) num = &o->mem_bytes;
        else if (strcmp(a, "--stack-bytes") == 0) num = &o->stack_bytes;
        else if (strcmp(a, "--nproc") == 0) num = &o->nproc;
        else if (strcmp(a, "--out-bytes") == 0) num = &o->out_bytes;
        else if (strcmp(a, "--err-bytes") == 0) num = &o->err_bytes;
        else if (strcmp(a, "--fsize-bytes") == 0) num = &o->fsize_bytes;
        else if (strcmp(a, "--nofile") == 0) num = &o->nofile;
        else if (strcmp(a, "--cwd") == 0) o->cwd = v;
        else if (strcmp(a, "--stdin") == 0) o->stdin_path = v;
        else if (strcmp(a, "--stdout") == 0) o->stdout_path = v;
        else if (strcmp(a, "--stderr") == 0) o->stderr_path = v;
        else if (strcmp(a, "--env") == 0) {
            if (strchr(v, '=') == NULL || v[0] == '=') {
                snprintf(err, errlen, "invalid --env '%s' (expected KEY=VALUE)", v);
                return -1;
            }
            o->envp[envc++] = (char *)v;
        } else {
            snprintf(err, errlen, "unknown option '%s'", a);
            return -1;
        }
        if (num != NULL && parse_number(a, v, num, err, errlen) != 0)
            return -1;
    }

    if (i >= argc) {
        snprintf(err, errlen, "no program given (expected '-- /abs/prog args...')");
        return -1;
    }
    o->argv = &argv[i];
    /* Absolute, or "./name" relative to --cwd (execve runs after chdir). */
    if (o->argv[0][0] != '/' && strncmp(o->argv[0], "./", 2) != 0) {
        snprintf(err, errlen, "program path '%s' is neither absolute nor ./relative", o->argv[0]);
        return -1;
    }
    if (o->cpu_ms <= 0 || o->wall_ms <= 0 || o->mem_bytes <= 0) {
        snprintf(err, errlen, "--cpu-ms, --wall-ms and --mem-bytes are required and positive");
        return -1;
    }
    if (o->cwd == NULL) {
        snprintf(err, errlen, "--cwd is required");
        return -1;
    }
    if (o->stack_bytes < 0)
        o->stack_bytes = o->mem_bytes;
    return 0;
}

/* ------------------------------------------------------------------ set up the child */

/* What the child writes to the status pipe when it fails before execve. */
struct child_failure {
    int stage; /* index into child_stage_names */
    int error;
};

static const char *const child_stage_names[] = { "setsid", "dup2", "chdir", "setrlimit", "execve" };
enum { STAGE_SETSID, STAGE_DUP2, STAGE_CHDIR, STAGE_RLIMIT, STAGE_EXEC };

static void close_other_fds(int keep)
{
    if (syscall(SYS_close_range, 3, keep - 1, 0) == 0 && syscall(SYS_close_range, keep + 1, ~0U, 0) == 0)
        return;
    long max = sysconf(_SC_OPEN_MAX);
    for (int fd = 3; fd < (max > 0 ? max : 1024); fd++)
        if (fd != keep)
            close(fd);
}

static int set_limit(int resource, rlim_t soft, rlim_t hard)
{
    struct rlimit rl = { .rlim_cur = soft, .rlim_max = hard };
    return setrlimit(resource, &rl);
}

static int apply_rlimits(const struct options *o)
{
    rlim_t cpu_soft = (rlim_t)((o->cpu_ms + 999) / 1000 + 1);
    if (set_limit(RLIMIT_CPU, cpu_soft, cpu_soft + 1) != 0) return -1;
    if (set_limit(RLIMIT_STACK, (rlim_t)o->stack_bytes, (rlim_t)o->stack_bytes) != 0) return -1;
    if (set_limit(RLIMIT_NPROC, (rlim_t)o->nproc, (rlim_t)o->nproc) != 0) return -1;
    if (set_limit(RLIMIT_FSIZE, (rlim_t)o->fsize_bytes, (rlim_t)o->fsize_bytes) != 0) return -1;
    if (set_limit(RLIMIT_NOFILE, (rlim_t)o->nofile, (rlim_t)o->nofile) != 0) return -1;
    if (set_limit(RLIMIT_CORE, 0, 0) != 0) return -1;
    if (o->limit_as && set_limit(RLIMIT_AS, (rlim_t)o->mem_bytes, (rlim_t)o->mem_bytes) != 0) return -1;
    return 0;
}

static __attribute__((noreturn)) void child_fail(int status_fd, int stage)
{
    struct child_failure f = { .stage = stage, .error = errno };
    ssize_t ignored = write(status_fd, &f, sizeof f);
    (void)ignored;
    _exit(127);
}

/* Runs in the forked child: never returns. */
static __attribute__((noreturn)) void run_child(const struct options *o, int in_fd, int out_fd, int err_fd,
                                                int status_fd, pid_t supervisor)
{
    /* Default dispositions and an empty mask for the program. */
    for (int s = 1; s < NSIG; s++)
        signal(s, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    /* Die with the supervisor, even if it is SIGKILLed. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != supervisor)
        _exit(127);

    if (setsid() < 0) child_fail(status_fd, STAGE_SETSID);
    if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) child_fail(status_fd, STAGE_DUP2);
    if (chdir(o->cwd) != 0) child_fail(status_fd, STAGE_CHDIR);
    close_other_fds(status_fd);
    if (apply_rlimits(o) != 0) child_fail(status_fd, STAGE_RLIMIT);
    execve(o->argv[0], o->argv, o->envp);
    child_fail(status_fd, STAGE_EXEC);
}

/* ------------------------------------------------------------------ supervise */

static volatile sig_atomic_t cancel_requested;

static void on_cancel(int sig)
{
    (void)sig;
    cancel_requested = 1;
}

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* Fields of /proc/<pid>/stat we use. */
struct proc_stat {
    pid_t ppid, session;
    long long cpu_ticks; /* utime + stime + cutime + cstime */
    long long rss_pages;
};

static int read_proc_stat(pid_t pid, struct proc_stat *ps)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    char *p = strrchr(buf, ')'); /* the command name may contain spaces and parentheses */
    if (p == NULL)
        return -1;
    /* after ')': state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
       utime stime cutime cstime priority nice threads itrealvalue starttime vsize rss */
    char state;
    int ppid, pgrp, session, tty, tpgid;
    unsigned flags;
    unsigned long minflt, cminflt, majflt, cmajflt, utime, stime;
    long cutime, cstime, priority, nice, threads, itreal;
    unsigned long long starttime;
    unsigned long vsize;
    long rss;
    int got = sscanf(p + 1, " %c %d %d %d %d %d %u %lu %lu %lu %lu %lu %lu %ld %ld %ld %ld %ld %ld %llu %lu %ld",
                     &state, &ppid, &pgrp, &session, &tty, &tpgid, &flags, &minflt, &cminflt, &majflt, &cmajflt,
                     &utime, &stime, &cutime, &cstime, &priority, &nice, &threads, &itreal, &starttime, &vsize,
                     &rss);
    if (got != 22)
        return -1;
    ps->ppid = ppid;
    ps->session = session;
    ps->cpu_ticks = (long long)utime + (long long)stime + cutime + cstime;
    ps->rss_pages = rss;
    return 0;
}

/* Calls fn for every process that belongs to the run: its session, or orphans adopted by us. */
static void for_each_run_process(pid_t session, pid_t main_pid, void (*fn)(pid_t, const struct proc_stat *, void *),
                                 void *ctx)
{
    DIR *d = opendir("/proc");
    if (d == NULL)
        return;
    pid_t self = getpid();
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        pid_t pid = (pid_t)atoi(e->d_name);
        if (pid == self || pid == main_pid)
            continue;
        struct proc_stat ps;
        if (read_proc_stat(pid, &ps) != 0)
            continue;
        if (ps.session == session || ps.ppid == self)
            fn(pid, &ps, ctx);
    }
    closedir(d);
}

struct usage_sample {
    long long cpu_ticks, max_rss_pages;
};

static void add_usage(pid_t pid, const struct proc_stat *ps, void *ctx)
{
    (void)pid;
    struct usage_sample *u = ctx;
    u->cpu_ticks += ps->cpu_ticks;
    if (ps->rss_pages > u->max_rss_pages)
        u->max_rss_pages = ps->rss_pages;
}

static void kill_process(pid_t pid, const struct proc_stat *ps, void *ctx)
{
    (void)ps;
    (void)ctx;
    kill(pid, SIGKILL);
}

/* Kills and reaps everything left of the run: its process group, its session and adopted orphans. */
static void kill_leftovers(pid_t group)
{
    for (int round = 0; round < 1000; round++) {
        killpg(group, SIGKILL);
        for_each_run_process(group, 0, kill_process, NULL);
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
        if (waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD)
            return;
        usleep(1000);
    }
}

/* One output pipe being copied into a file with a cap. */
struct stream {
    int pipe_fd;   /* -1 once at EOF */
    int file_fd;   /* -1 discards */
    long long cap; /* bytes kept */
    long long *kept;
    int fail_on_overflow; /* stdout: overflow is an output limit; stderr: silently dropped */
};

enum { DRAIN_OK, DRAIN_EMPTY, DRAIN_OVERFLOW, DRAIN_WRITE_ERROR };

/* Reads what is available from s (the pipe is non-blocking, at most 16 chunks so that a flood cannot
   starve the limit checks); returns a DRAIN_* code. */
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
            return result == DRAIN_OK ? DRAIN_EMPTY : result; /* EAGAIN: nothing more for now */
        long long room = s->cap - *s->kept;
        long long keep = n < room ? n : (room > 0 ? room : 0);
        if (keep < n && s->fail_on_overflow)
            result = DRAIN_OVERFLOW;
        if (keep > 0 && s->file_fd >= 0) {
            for (long long off = 0; off < keep;) {
                ssize_t w = write(s->file_fd, buf + off, (size_t)(keep - off));
                if (w < 0 && errno == EINTR)
                    continue;
                if (w <= 0)
                    return DRAIN_WRITE_ERROR;
                off += w;
            }
        }
        *s->kept += keep;
        if (result == DRAIN_OVERFLOW)
            return result;
    }
    return result;
}

enum kill_reason { KILLED_NONE, KILLED_CPU, KILLED_WALL, KILLED_OUTPUT, KILLED_MEMORY, KILLED_CANCEL, KILLED_ERROR };

/* ------------------------------------------------------------------ main */

static int open_output(const char *path, char *err, size_t errlen)
{
    if (path == NULL)
        return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
    return fd;
}

int main(int argc, char **argv)
{
    char err[400] = "";
    struct options o;
    if (parse_options(argc, argv, &o, err, sizeof err) != 0)
        return report_internal("bad arguments: %s", err);

    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = { .sa_handler = on_cancel };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    /* Orphans of the run (daemons) are re-parented to us, so we can find and kill them. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);

    int in_fd = open(o.stdin_path != NULL ? o.stdin_path : "/dev/null", O_RDONLY | O_CLOEXEC);
    if (in_fd < 0)
        return report_internal("cannot open stdin '%s': %s", o.stdin_path ? o.stdin_path : "/dev/null",
                               strerror(errno));
    int out_file = open_output(o.stdout_path, err, sizeof err);
    if (o.stdout_path != NULL && out_file < 0)
        return report_internal("%s", err);
    int err_file = o.merge_stderr ? -1 : open_output(o.stderr_path, err, sizeof err);
    if (!o.merge_stderr && o.stderr_path != NULL && err_file < 0)
        return report_internal("%s", err);

    int out_pipe[2], err_pipe[2] = { -1, -1 }, status_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || (!o.merge_stderr && pipe2(err_pipe, O_CLOEXEC) != 0) ||
        pipe2(status_pipe, O_CLOEXEC) != 0)
        return report_internal("pipe: %s", strerror(errno));

    pid_t supervisor = getpid();
    long long start_us = now_us();
    pid_t child = fork();
    if (child < 0)
        return report_internal("fork: %s", strerror(errno));
    if (child == 0)
        run_child(&o, in_fd, out_pipe[1], o.merge_stderr ? out_pipe[1] : err_pipe[1], status_pipe[1], supervisor);

    close(in_fd);
    close(out_pipe[1]);
    if (err_pipe[1] >= 0)
        close(err_pipe[1]);
    close(status_pipe[1]);

    /* execve closes the status pipe (EOF); a failure before it writes what went wrong. */
    struct child_failure failure;
    ssize_t got;
    do
        got = read(status_pipe[0], &failure, sizeof failure);
    while (got < 0 && errno == EINTR);
    close(status_pipe[0]);
    if (got == (ssize_t)sizeof failure) {
        waitpid(child, NULL, 0);
        kill_leftovers(child);
        return report_internal("cannot start '%s': %s failed: %s", o.argv[0], child_stage_names[failure.stage],
                               strerror(failure.error));
    }

    long long out_kept = 0, err_kept = 0;
    struct stream streams[2] = {
        { .pipe_fd = out_pipe[0], .file_fd = out_file, .cap = o.out_bytes, .kept = &out_kept, .fail_on_overflow = 1 },
        { .pipe_fd = err_pipe[0], .file_fd = err_file, .cap = o.err_bytes, .kept = &err_kept, .fail_on_overflow = 0 },
    };
    for (int i = 0; i < 2; i++)
        if (streams[i].pipe_fd >= 0)
            fcntl(streams[i].pipe_fd, F_SETFL, O_NONBLOCK);

    /* A pidfd becomes readable when the child exits, so we notice at once rather than at the next tick. */
    int pidfd = (int)syscall(SYS_pidfd_open, child, 0);

    static char buf[CHUNK];
    long clk_tck = sysconf(_SC_CLK_TCK);
    long page_size = sysconf(_SC_PAGESIZE);
    long long cpu_limit_ticks = o.cpu_ms * clk_tck / 1000; /* kill when strictly above */
    long long wall_limit_us = o.wall_ms * 1000;
    long long sampled_cpu_ticks = 0, sampled_rss_pages = 0;
    enum kill_reason killed = KILLED_NONE;
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    int output_error = 0;

    for (unsigned tick = 0;; tick++) {
        struct pollfd pfds[3];
        int n = 0;
        int map[3];
        for (int i = 0; i < 2; i++)
            if (streams[i].pipe_fd >= 0) {
                pfds[n] = (struct pollfd){ .fd = streams[i].pipe_fd, .events = POLLIN };
                map[n++] = i;
            }
        if (pidfd >= 0) {
            pfds[n] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
            map[n++] = -1;
        }
        long long remaining_ms = (wall_limit_us - (now_us() - start_us)) / 1000 + 1;
        int timeout = remaining_ms < TICK_MS ? (int)(remaining_ms > 0 ? remaining_ms : 0) : TICK_MS;
        int ready = poll(pfds, (nfds_t)n, timeout);

        for (int k = 0; ready > 0 && k < n; k++) {
            if (map[k] < 0 || !(pfds[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            struct stream *s = &streams[map[k]];
            int r = drain(s, buf);
            if (r == DRAIN_OVERFLOW && killed == KILLED_NONE) {
                killed = KILLED_OUTPUT;
                killpg(child, SIGKILL);
            } else if (r == DRAIN_WRITE_ERROR && !output_error) {
                output_error = errno;
                if (killed == KILLED_NONE)
                    killed = KILLED_ERROR;
                killpg(child, SIGKILL);
            }
        }

        pid_t w = wait4(child, &status, WNOHANG, &ru);
        if (w == child)
            break;

        if (killed != KILLED_NONE)
            continue; /* already dying; just wait for it */

        if (cancel_requested) {
            killed = KILLED_CANCEL;
            killpg(child, SIGKILL);
            continue;
        }
        if (now_us() - start_us > wall_limit_us) {
            killed = KILLED_WALL;
            killpg(child, SIGKILL);
            continue;
        }

        struct proc_stat ps;
        if (read_proc_stat(child, &ps) == 0) {
            long long cpu = ps.cpu_ticks, rss = ps.rss_pages;
            if (tick % TREE_SCAN_EVERY == 0) {
                struct usage_sample others = { 0, 0 };
                for_each_run_process(child, child, add_usage, &others);
                cpu += others.cpu_ticks;
                if (others.max_rss_pages > rss)
                    rss = others.max_rss_pages;
            } else if (sampled_cpu_ticks > cpu) {
                cpu = sampled_cpu_ticks; /* keep the last whole-tree figure between scans */
            }
            if (cpu > sampled_cpu_ticks)
                sampled_cpu_ticks = cpu;
            if (rss > sampled_rss_pages)
                sampled_rss_pages = rss;
            if (cpu > cpu_limit_ticks) {
                killed = KILLED_CPU;
                killpg(child, SIGKILL);
            } else if (rss * page_size > o.mem_bytes) {
                killed = KILLED_MEMORY;
                killpg(child, SIGKILL);
            }
        }
    }
    long long end_us = now_us();
    if (pidfd >= 0)
        close(pidfd);

    /* The main process is gone: nothing of the run may outlive it. Then take what is left in the pipes. */
    kill_leftovers(child);
    for (int i = 0; i < 2; i++) {
        while (streams[i].pipe_fd >= 0) {
            int r = drain(&streams[i], buf);
            if (r == DRAIN_OVERFLOW && killed == KILLED_NONE)
                killed = KILLED_OUTPUT;
            if (r == DRAIN_WRITE_ERROR && !output_error)
                output_error = errno;
            /* every writer is dead: stop at EOF, at an empty pipe, or at an overflow or error */
            if (r != DRAIN_OK) {
                if (streams[i].pipe_fd >= 0)
                    close(streams[i].pipe_fd);
                streams[i].pipe_fd = -1;
            }
        }
    }
    if (out_file >= 0 && close(out_file) != 0 && !output_error)
        output_error = errno;
    if (err_file >= 0)
        close(err_file);

    struct report r = { .status = "ok" };
    long long ru_cpu_us = (long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec +
                          (long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec;
    long long sampled_cpu_us = sampled_cpu_ticks * 1000000 / clk_tck;
    r.cpu_us = ru_cpu_us > sampled_cpu_us ? ru_cpu_us : sampled_cpu_us;
    r.wall_us = end_us - start_us;
    r.maxrss_kb = ru.ru_maxrss;
    if (sampled_rss_pages * page_size / 1024 > r.maxrss_kb)
        r.maxrss_kb = sampled_rss_pages * page_size / 1024;
    r.stdout_bytes = out_kept;
    r.stderr_bytes = err_kept;
    if (WIFEXITED(status))
        r.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        r.signal = WTERMSIG(status);

    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    if (killed == KILLED_CANCEL) {
        r.status = "internal";
        snprintf(r.message, sizeof r.message, "cancelled");
    } else if (killed == KILLED_ERROR || output_error) {
        r.status = "internal";
        snprintf(r.message, sizeof r.message, "cannot write output: %s", strerror(output_error));
    } else if (killed == KILLED_MEMORY || r.maxrss_kb * 1024 > o.mem_bytes) {
        r.status = "mle"; /* first of the program's faults, as in judge-sandbox (PROTOCOL.md) */
    } else if (killed == KILLED_CPU) {
        r.status = "tle_cpu";
    } else if (killed == KILLED_WALL) {
        r.status = "tle_wall";
    } else if (killed == KILLED_OUTPUT) {
        r.status = "ole";
        snprintf(r.message, sizeof r.message, "standard output exceeded %lld bytes", o.out_bytes);
    } else if (r.cpu_us > o.cpu_ms * 1000) {
        r.status = "tle_cpu";
    } else if (sig == SIGXCPU) {
        r.status = "tle_cpu";
    } else if (sig == SIGXFSZ) {
        r.status = "ole";
        snprintf(r.message, sizeof r.message, "file size limit of %lld bytes exceeded", o.fsize_bytes);
    } else if (sig != 0) {
        r.status = "signaled";
    } else if (r.exit_code != 0) {
        r.status = "nonzero";
    }
    return print_report(&r);
}
