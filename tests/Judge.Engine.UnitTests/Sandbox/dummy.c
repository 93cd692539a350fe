/* A small controllable program for sandbox tests: `dummy MODE [ARGS...]`. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static volatile unsigned long sink;

static void spin_forever(void)
{
    for (;;)
        sink++;
}

static void *spin_thread(void *arg)
{
    (void)arg;
    spin_forever();
    return NULL;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* Writes name atomically, so a reader never sees it empty. */
static void write_pid_file(const char *name, pid_t pid)
{
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s.tmp", name);
    FILE *f = fopen(tmp, "w");
    if (f == NULL) {
        perror(tmp);
        exit(2);
    }
    fprintf(f, "%d\n", (int)pid);
    fclose(f);
    if (rename(tmp, name) != 0)
        exit(2);
}

static void write_mib(int fd, long mib)
{
    static char block[1 << 20];
    memset(block, 'x', sizeof block);
    for (long i = 0; i < mib; i++)
        for (size_t off = 0; off < sizeof block;) {
            ssize_t w = write(fd, block + off, sizeof block - off);
            if (w <= 0)
                exit(3);
            off += (size_t)w;
        }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: dummy MODE [ARGS...]\n");
        return 2;
    }
    const char *mode = argv[1];
    long n = argc > 2 ? atol(argv[2]) : 0;

    if (strcmp(mode, "exit") == 0) {
        printf("exiting with %ld\n", n);
        return (int)n;
    }
    if (strcmp(mode, "spin") == 0) {
        if (argc > 2)
            write_pid_file(argv[2], getpid());
        spin_forever();
    }
    if (strcmp(mode, "spin-threads") == 0) {
        pthread_t t;
        for (long i = 0; i < n; i++)
            pthread_create(&t, NULL, spin_thread, NULL);
        spin_forever();
    }
    if (strcmp(mode, "fork-spin") == 0) {
        for (long i = 0; i < n; i++)
            if (fork() == 0)
                spin_forever();
        for (;;)
            if (wait(NULL) < 0)
                sleep_ms(1000);
    }
    if (strcmp(mode, "sleep") == 0) {
        sleep_ms(n);
        return 0;
    }
    if (strcmp(mode, "close-and-sleep") == 0) {
        close(1);
        close(2);
        sleep_ms(n);
        return 0;
    }
    if (strcmp(mode, "alloc") == 0) {
        size_t size = (size_t)n << 20;
        char *p = malloc(size);
        if (p == NULL) {
            fprintf(stderr, "allocation of %ld MiB failed\n", n);
            return 3;
        }
        volatile char *touch = p; /* every page, so it is resident; volatile so it is not optimised away */
        for (size_t i = 0; i < size; i += 4096)
            touch[i] = 1;
        printf("allocated %ld MiB\n", n);
        return 0;
    }
    if (strcmp(mode, "write") == 0) {
        write_mib(1, n);
        return 0;
    }
    if (strcmp(mode, "write-file") == 0) {
        FILE *f = fopen("big.txt", "w");
        if (f == NULL)
            return 2;
        write_mib(fileno(f), n);
        return 0;
    }
    if (strcmp(mode, "write-stderr") == 0) {
        write_mib(2, n);
        printf("done\n");
        return 0;
    }
    if (strcmp(mode, "echo") == 0) {
        char buf[4096];
        size_t r;
        while ((r = fread(buf, 1, sizeof buf, stdin)) > 0)
            fwrite(buf, 1, r, stdout);
        return 0;
    }
    if (strcmp(mode, "raise") == 0) {
        int sig = strcmp(argv[2], "SIGSEGV") == 0 ? SIGSEGV : strcmp(argv[2], "SIGABRT") == 0 ? SIGABRT : atoi(argv[2]);
        fflush(stdout);
        raise(sig);
        return 4;
    }
    if (strcmp(mode, "env") == 0) {
        for (char **e = environ; *e; e++)
            printf("%s\n", *e);
        return 0;
    }
    if (strcmp(mode, "daemon") == 0) {
        /* double fork + setsid; the daemon records its pid before the parent returns */
        int ready[2];
        if (pipe(ready) != 0)
            return 5;
        pid_t first = fork();
        if (first == 0) {
            setsid();
            if (fork() == 0) {
                write_pid_file("daemon.pid", getpid());
                if (write(ready[1], "r", 1) != 1)
                    _exit(6);
                close(ready[1]);
                close(0);
                close(1);
                close(2);
                sleep_ms(600000);
                _exit(0);
            }
            _exit(0);
        }
        close(ready[1]);
        char c;
        if (read(ready[0], &c, 1) != 1)
            return 7;
        waitpid(first, NULL, 0);
        printf("daemon started\n");
        return 0;
    }
    if (strcmp(mode, "grandchild-holds-pipe") == 0) {
        pid_t child = fork();
        if (child == 0) {
            if (fork() == 0) {
                write_pid_file("grandchild.pid", getpid());
                sleep_ms(600000); /* keeps stdout and stderr open */
                _exit(0);
            }
            sleep_ms(600000);
            _exit(0);
        }
        while (access("grandchild.pid", F_OK) != 0)
            sleep_ms(5);
        printf("parent done\n");
        return 0;
    }
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
}
