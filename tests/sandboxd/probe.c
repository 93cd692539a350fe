/* Test program for tests/sandboxd/drive.py: one behaviour per mode (argv[1]). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

static int try_create(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        printf("CREATED %s\n", path);
        close(fd);
        return 1;
    }
    printf("denied %s: %s\n", path, strerror(errno));
    return 0;
}

int main(int argc, char **argv)
{
    const char *m = argc > 1 ? argv[1] : "";
    const char *a = argc > 2 ? argv[2] : "0";
    if (!strcmp(m, "hello")) { printf("hello %s\n", a); return 0; }
    if (!strcmp(m, "exit")) return atoi(a);
    if (!strcmp(m, "segv")) { kill(getpid(), SIGSEGV); return 0; }
    if (!strcmp(m, "spin")) { for (volatile unsigned long i = 0;; i++) ; }
    if (!strcmp(m, "sleep")) { sleep((unsigned)atoi(a)); return 0; }
    if (!strcmp(m, "env")) { for (char **e = environ; *e; e++) puts(*e); return 0; }
    if (!strcmp(m, "ids")) { printf("uid=%d gid=%d pid=%d ppid=%d\n", getuid(), getgid(), getpid(), getppid()); return 0; }
    if (!strcmp(m, "alloc")) {
        long mib = atol(a);
        for (long i = 0; i < mib; i++) {
            char *p = malloc(1 << 20);
            if (!p) { printf("malloc failed at %ld\n", i); return 3; }
            memset(p, 1, 1 << 20);
        }
        printf("allocated %ld MiB\n", mib);
        return 0;
    }
    if (!strcmp(m, "oomadj")) {
        /* Lowers its own oom_score_adj back to 0 (allowed down to the floor the daemon was started with: 0 unless a
         * privileged parent set one, as a kubelet does), then fills memfds with write(): the memory is charged to the
         * run's cgroup but counted in no process's RSS, so an OOM killer choosing by RSS among the cgroup's processes
         * would pick the slot, were it one of them. */
        int adj = open("/proc/self/oom_score_adj", O_WRONLY);
        if (adj < 0 || write(adj, "0", 1) != 1)
            printf("oom_score_adj kept: %s\n", strerror(errno));
        else
            printf("oom_score_adj lowered\n");
        fflush(stdout);
        if (adj >= 0)
            close(adj);
        if (argc > 3)
            usleep((useconds_t)atol(argv[3]) * 1000); /* time for the driver to stop the slot */
        static char chunk[64 << 10]; /* small: the program's own RSS stays far below the slot's */
        memset(chunk, 7, sizeof chunk);
        long mib = atol(a), i;
        int fd = -1;
        for (i = 0; i < mib * 16; i++) {
            if (i % 512 == 0 && (fd = (int)syscall(SYS_memfd_create, "hog", 0)) < 0) { /* 32 MiB each: under fsize */
                printf("memfd_create: %s\n", strerror(errno));
                return 4;
            }
            if (write(fd, chunk, sizeof chunk) != (ssize_t)sizeof chunk) break;
        }
        printf("wrote %ld MiB\n", i / 16);
        return 0;
    }
    if (!strcmp(m, "forkbomb")) {
        int ok = 0, fail = 0;
        for (int i = 0; i < 1000; i++) {
            pid_t p = fork();
            if (p == 0) { pause(); _exit(0); }
            if (p > 0) ok++; else fail++;
        }
        printf("forked %d failed %d\n", ok, fail);
        fflush(stdout);
        return 0;
    }
    if (!strcmp(m, "shadow")) {
        int fd = open("/etc/shadow", O_RDONLY);
        printf("shadow: %s\n", fd >= 0 ? "READABLE" : strerror(errno));
        return fd >= 0 ? 3 : 0;
    }
    if (!strcmp(m, "writeout")) {
        int bad = 0;
        const char *paths[] = { "/x", "/usr/x", "/etc/x", "/bin/x", "/dev/x", "/proc/x", "/.jr/x", "/.jr/root/x",
                                "/.jr/ovl/x" };
        for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
            bad += try_create(paths[i]);
        return bad ? 3 : 0;
    }
    if (!strcmp(m, "hidden")) {
        int bad = 0;
        DIR *d = opendir("/.jr");
        printf("opendir /.jr: %s\n", d ? "OPENED" : strerror(errno));
        bad += d != NULL;
        d = opendir("/.jr/root");
        printf("opendir /.jr/root: %s\n", d ? "OPENED" : strerror(errno));
        bad += d != NULL;
        d = opendir("/proc/1/root/.jr/root");
        printf("opendir /proc/1/root/.jr/root: %s\n", d ? "OPENED" : strerror(errno));
        bad += d != NULL;
        return bad ? 3 : 0;
    }
    if (!strcmp(m, "net")) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(a)) };
        sa.sin_addr.s_addr = htonl(0x7f000001);
        int r = s < 0 ? -1 : connect(s, (struct sockaddr *)&sa, sizeof sa);
        printf("connect: %s\n", r == 0 ? "CONNECTED" : strerror(errno));
        return r == 0 ? 3 : 0;
    }
    if (!strcmp(m, "daemonize")) {
        /* a grandchild that outlives the main process and keeps appending to /work/alive */
        if (fork() == 0) {
            setsid();
            if (fork() == 0) {
                for (;;) {
                    int fd = open("/work/alive", O_WRONLY | O_CREAT | O_APPEND, 0644);
                    if (fd >= 0) { (void)!write(fd, "x", 1); close(fd); }
                    usleep(10000);
                }
            }
            _exit(0);
        }
        usleep(100000);
        return 0;
    }
    if (!strcmp(m, "holdpipe")) {
        /* a child keeps stdout open forever; the main process exits at once */
        if (fork() == 0) { for (;;) pause(); }
        printf("parent done\n");
        return 0;
    }
    if (!strcmp(m, "closesleep")) { close(0); close(1); close(2); for (;;) pause(); }
    if (!strcmp(m, "tmpwrite")) {
        int bad = !try_create("/tmp/marker") + !try_create("/dev/shm/marker") + !try_create("/work/overlay-file");
        int id = shmget(4242, 4096, IPC_CREAT | 0600);
        printf("shmget create: %d\n", id);
        return bad || id < 0 ? 3 : 0;
    }
    if (!strcmp(m, "tmpcheck")) {
        int bad = 0;
        const char *paths[] = { "/tmp/marker", "/dev/shm/marker", "/work/overlay-file" };
        for (size_t i = 0; i < 3; i++)
            if (access(paths[i], F_OK) == 0) { printf("LEFT OVER %s\n", paths[i]); bad++; }
        if (shmget(4242, 0, 0) >= 0) { printf("LEFT OVER shm 4242\n"); bad++; }
        return bad ? 3 : 0;
    }
    if (!strcmp(m, "bindwrite")) return try_create("/work/kept") ? 0 : 3;
    if (!strcmp(m, "print")) {
        long n = atol(a);
        static char buf[65536];
        memset(buf, 'a', sizeof buf);
        while (n > 0) {
            long k = n < (long)sizeof buf ? n : (long)sizeof buf;
            ssize_t w = write(1, buf, (size_t)k);
            if (w <= 0) return 4;
            n -= w;
        }
        return 0;
    }
    if (!strcmp(m, "stderr")) { fprintf(stderr, "to stderr %s\n", a); printf("to stdout\n"); return 0; }
    if (!strcmp(m, "fsize")) {
        int fd = open("/tmp/big", O_WRONLY | O_CREAT, 0644);
        static char buf[65536];
        for (;;) if (write(fd, buf, sizeof buf) <= 0) return 4;
    }
    fprintf(stderr, "unknown mode '%s'\n", m);
    return 2;
}
