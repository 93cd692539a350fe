/*
 * libFuzzer harness for judge-sandbox's request parser (src/Engine/Sandbox/Linux/native/main.c): the NUL-framed
 * stdin reader (process_input) and the request validation (handle_request), without starting the daemon.
 *
 * main.c is compiled into this file with its main() renamed, so every static function is reachable and the daemon's
 * own build stays as it is. The only host effects of a request are its file opens (stdin, stdout, stderr): they are
 * redirected to a scratch file, /dev/null or an error chosen by the path, so a fuzz input can never create or read
 * a host file. Slots are never started: a valid request just waits in the queue and is freed after each input.
 *
 * The first input byte picks the chunk size the bytes arrive in (1-256), as reads from a pipe would split them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../../src/Engine/Sandbox/Linux/native/sandbox.h"

#define FUZZ_ROOT "/tmp/judge-sandbox-fuzz"

static int fuzz_open(const char *path, int flags, ...)
{
    if (strstr(path, "missing") != NULL) {
        errno = ENOENT;
        return -1;
    }
    if ((flags & O_ACCMODE) == O_RDONLY)
        return open(strstr(path, "dev") != NULL ? "/dev/null" : FUZZ_ROOT "/input", O_RDONLY | O_CLOEXEC);
    if (strstr(path, "exists") != NULL) {
        errno = EEXIST;
        return -1;
    }
    return open("/dev/null", O_WRONLY | O_CLOEXEC);
}

#define open(...) fuzz_open(__VA_ARGS__)
#define main judge_sandbox_main
#include "../../../src/Engine/Sandbox/Linux/native/main.c"
#undef main
#undef open

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    signal(SIGPIPE, SIG_IGN);
    mkdir(FUZZ_ROOT, 0700);
    mkdir(FUZZ_ROOT "/w", 0700);
    int fd = creat(FUZZ_ROOT "/input", 0600);
    if (fd >= 0) {
        (void)!write(fd, "1 2\n", 4);
        close(fd);
    }
    /* the daemon's answers go to stdout: keep them out of the fuzzer's log */
    int null = openat(AT_FDCWD, "/dev/null", O_WRONLY | O_CLOEXEC);
    if (null >= 0)
        dup2(null, STDOUT_FILENO);
    snprintf(opt.work_root, sizeof opt.work_root, "%s", FUZZ_ROOT);
    snprintf(opt.work_root_arg, sizeof opt.work_root_arg, "%s", "/tmp/../tmp/judge-sandbox-fuzz");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t chunk = (size_t)data[0] + 1;
    data++;
    size--;
    for (size_t off = 0; off < size; off += chunk) {
        size_t n = size - off < chunk ? size - off : chunk;
        if (incap - inlen < n) {
            size_t ncap = incap ? incap * 2 : 4096;
            while (ncap - inlen < n)
                ncap *= 2;
            char *nb = realloc(inbuf, ncap);
            if (nb == NULL)
                abort();
            inbuf = nb;
            incap = ncap;
        }
        memcpy(inbuf + inlen, data + off, n);
        inlen += n;
        process_input();
        if (inlen > size)
            abort(); /* the buffer keeps at most what was fed */
    }
    end_session(); /* frees queued runs and pipes, drops a partial request */
    if (pipes_used != 0 || queue_head != NULL)
        abort();
    return 0;
}
