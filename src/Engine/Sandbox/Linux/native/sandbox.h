/* judge-sandbox: shared definitions of the daemon (main.c), the slot process (slot.c), cgroups (cgroup.c)
 * and reports (report.c). See ../PROTOCOL.md. */
#ifndef JUDGE_SANDBOX_H
#define JUDGE_SANDBOX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define MAX_CG 3                 /* v1: memory, cpuacct, pids; v2: one directory */
#define MSG_MAX (1 << 20)        /* largest daemon <-> slot message */
#define REQUEST_MAX (1 << 20)    /* largest request accepted on stdin */

struct limits {
    long long cpu_ms, wall_ms, mem_bytes, stack_bytes, nofile, fsize_bytes, nproc, out_bytes, err_bytes, tmp_bytes;
    long long work_bytes; /* bind mode: the most a run may leave in its directory (total of what it writes there) */
    int limit_as, merge_stderr, bind_mode;
};

enum { MSG_READY = 1, MSG_FAIL, MSG_REQUEST, MSG_CANCEL, MSG_RESULT, MSG_CGROUP, MSG_IDLE };

/* daemon -> slot: the cgroup of the slot's next run (directory fds passed with SCM_RIGHTS). The slot moves itself
 * into it while idle, so the program inherits it at fork: no cgroup migration on the request path. The slot answers
 * MSG_IDLE once it is clean and inside the new cgroup. */
struct msg_cgroup {
    uint32_t type;
    int v2, n;
};

/* slot -> daemon: clean and ready; with the directory its /work overlay was mounted over ahead, if any, so that
 * the daemon can give the next run in that directory to this slot. */
struct msg_idle {
    uint32_t type;
    int ahead;
    uint64_t dev, ino;
};

/* daemon -> slot; followed by argc + envc + 1 NUL-terminated strings: argv, envp, work path relative to the
 * work root. Passed fds (SCM_RIGHTS), in order: stdin?, stdout?, stderr?. The run uses the slot's current cgroup. */
struct msg_request {
    uint32_t type;
    char id[65];     /* the slot answers the run itself, on the response pipe it shares with the daemon */
    struct limits lim;
    int has_stdin, has_stdout, has_stderr;
    int stdout_pipe; /* stdout is a pipe to another run: the program writes to it directly, nothing is captured */
    uint32_t argc, envc, strings_len;
};

struct result {
    char status[16];
    int exit_code, signal;
    long long cpu_us, wall_us, maxrss_kb, stdout_bytes, stderr_bytes;
    long long end_us; /* CLOCK_MONOTONIC when the run's main process was seen to end (or the run was answered) */
    char message[512];
};

/* slot -> daemon. After it the slot cleans up (unmounts, checks it is alone) and, once given its next cgroup,
 * answers MSG_IDLE; a slot that cannot verify it is clean exits instead. */
struct msg_result {
    uint32_t type;
    int retire;   /* the slot exits after this message (the run's processes could not be reaped) */
    int fresh_cg; /* the run left more than CG_REUSE_LEFT_MAX charged to its cgroup: the next run gets a new one */
    struct result r;
};

/* A run's cgroup serves the next run only while what earlier runs left charged to it (page cache, dentries and
 * inodes: cg_left_after_run) stays below this. That charge is in the next run's usage and kernel peak: the slot takes
 * the page cache off, but not kernel memory, and cache the kernel drops during the run (a file deleted, pressure)
 * would count as the run's memory. Below half the least headroom (MEM_HEADROOM_MIN) it can neither make a run MLE nor
 * bring it to its cgroup's ceiling. */
#define CG_REUSE_LEFT_MAX (32LL << 20)

struct msg_text {
    uint32_t type; /* MSG_READY, MSG_FAIL */
    char text[1024];
};

struct slot_config {
    int answer_fd; /* the daemon's standard output: responses */
    const char *work_root;
    char **ro_binds;
    int n_ro;
    uid_t uid;
    long client_uid, client_gid; /* socket mode: who gets back what a bind run left; -1 in stdio mode */
};

/* slot.c */
__attribute__((noreturn)) void slot_main(int sock, const struct slot_config *cfg);

/* cgroup.c: daemon side (the handles' files are the slot's) */
/* The files the slot reads about a run, each opened at its first use and read again at offset 0 (their values are
 * made when read): an open and a close per read cost more CPU than the read itself. Not cgroup.procs: through a
 * descriptor kept open, v1 may show a list of processes loaded up to a second earlier. */
enum cg_file { CGF_CPU, CGF_USAGE, CGF_STAT, CGF_PEAK, CGF_OOM, CGF_COUNT };
struct cg_handles {
    int v2, n;
    int dir[MAX_CG];
    unsigned opened;      /* slot: bit f set when file[f] is open (zero: none is) */
    int file[CGF_COUNT];  /* on v2 the peak is reset through its own descriptor, which later reads then use */
};
int cg_setup(const char *mode, const char *root, char *err, size_t errlen);
const char *cg_version(void);
/* lim may be NULL: the directories only; cg_run_limits sets the limits when a run is dispatched */
int cg_run_create(unsigned long long seq, const struct limits *lim, struct cg_handles *h, char *err, size_t errlen);
int cg_run_limits(const struct cg_handles *h, const struct limits *lim, char *err, size_t errlen);
int cg_run_remove(unsigned long long seq); /* 0 when every directory of the run is gone */
/* 1 when a slot's cgroup may serve its next run too (its memory peak can be reset: v1, or v2 on Linux 6.12 or later),
 * instead of a new cgroup per run: a run's CPU already counts from a base line read at its start, and the OOM kill
 * counter, which cannot be reset, is never carried over (a cgroup that saw an MLE run is replaced). */
int cg_reusable(void);
/* Memory: a run's memory cgroup allows limit + headroom (memory.max, or memory.limit_in_bytes and memsw on v1; swap
 * is off), the headroom being the larger of 64 MiB and a quarter of the limit. The run is MLE once its peak passes
 * the limit: the slot kills it as soon as it sees that, and the headroom is the room in which it does, before the
 * kernel would start reclaiming the program's own pages (the crawl that made MLE look like TLE) or kill it. */
#define MEM_HEADROOM_MIN (64LL << 20)
#define MEM_CEILING_MAX (1LL << 62)
long long cg_mem_ceiling(long long limit);
/* A bind-mode run's writable layer: a tmpfs of work_bytes plus room, the room being the larger of the memory headroom
 * (64 MiB, or a quarter) and fsize_bytes. The slot sees the cap passed at its tick, or at the run's end; the tmpfs' size
 * only stops a burst. One file never meets a full tmpfs before it passes the cap: it is written whole, or its writer is
 * stopped by SIGXFSZ at fsize_bytes, and either way it is there when the slot looks. A full tmpfs would tell the
 * writer (ENOSPC), which may delete the file first (ld does), so that only files together can still outrun the tick.
 * Saturates at MEM_CEILING_MAX. */
static inline long long work_ceiling(const struct limits *lim)
{
    long long room = lim->work_bytes / 4 > MEM_HEADROOM_MIN ? lim->work_bytes / 4 : MEM_HEADROOM_MIN;
    if (lim->fsize_bytes > room)
        room = lim->fsize_bytes;
    return room > MEM_CEILING_MAX || lim->work_bytes > MEM_CEILING_MAX - room ? MEM_CEILING_MAX : lim->work_bytes + room;
}
void cg_shutdown(void);
/* cgroup.c: slot side, through the passed directory fds */
int cg_join(const struct cg_handles *h);
int cg_reset_peak(struct cg_handles *h); /* the memory peak starts again from the current usage; 0, or -1 */
void cg_close_files(struct cg_handles *h); /* before its directories are closed */
long long cg_cpu_us(struct cg_handles *h);
long long cg_mem_current(struct cg_handles *h);
long long cg_oom_kills(struct cg_handles *h); /* OOM kills in the run so far; -1 when unreadable */
/* What a run leaves charged to its cgroup once its processes are gone, besides its tmpfs pages (freed at their
 * unmount): page cache and kernel memory (dentries, inodes), bytes; -1 when unreadable */
long long cg_left_after_run(struct cg_handles *h);
void cg_mem_final(struct cg_handles *h, long long *peak, long long *oom_kills);
int cg_procs_count(const struct cg_handles *h);
int cg_empty(const struct cg_handles *h); /* 1 when no process is left in the run's cgroup */
int write_file_at(int dirfd, const char *name, const char *text);
int read_file_at(int dirfd, const char *name, char *buf, size_t len);

/* report.c */
int write_result(int fd, const char *id, const struct result *r);
void result_internal(struct result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void print_ready_false(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
long long now_us(void);

/* timing.c: per-step wall and CPU sums, on when JUDGE_SANDBOX_TIMING is set (docs/PERFORMANCE.md) */
extern int g_timing;
void timing_init(const char *who);      /* reads the environment */
void timing_reset(const char *who);     /* a new process's own sums (where the environment is not mapped) */
void timing_mark(void);                  /* a step starts now */
void timing_step(const char *name);      /* the step since the latest mark ends now (name: a string literal) */
void timing_add(const char *name, long long wall_us, long long cpu_us);
void timing_add_init(const char *name, long long wall_us, long long cpu_us); /* a slot: a step of a run's init */
void timing_report(void);                /* the means, to stderr */

#endif
