/* JSON output of the daemon and its slots. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <unistd.h>
#include <string.h>
#include <time.h>

#include "sandbox.h"

/* Appends s to out[*len..cap) as a JSON string; returns -1 when it does not fit. */
static int json_append(char *out, size_t cap, size_t *len, const char *s)
{
    size_t n = *len;
#define PUT(c) do { if (n + 1 >= cap) return -1; out[n++] = (char)(c); } while (0)
    PUT('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x80) {
            /* pass valid UTF-8 through; anything else becomes U+FFFD so that the line stays valid JSON */
            int seq = (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
            int ok = seq > 0 && !(seq == 2 && *p < 0xc2) && !(seq == 4 && *p > 0xf4);
            for (int i = 1; ok && i < seq; i++)
                ok = (p[i] & 0xc0) == 0x80;
            if (ok && seq == 3)
                ok = !(*p == 0xe0 && p[1] < 0xa0) && !(*p == 0xed && p[1] >= 0xa0);
            if (ok && seq == 4)
                ok = !(*p == 0xf0 && p[1] < 0x90) && !(*p == 0xf4 && p[1] >= 0x90);
            if (ok) {
                for (int i = 0; i < seq; i++)
                    PUT(p[i]);
                p += seq - 1;
            } else {
                for (const char *e = "\\ufffd"; *e; e++)
                    PUT(*e);
            }
        } else if (*p == '"' || *p == '\\') {
            PUT('\\');
            PUT(*p);
        } else if (*p < 0x20 || *p == 0x7f) {
            char e[8];
            snprintf(e, sizeof e, "\\u%04x", *p);
            for (char *q = e; *q; q++)
                PUT(*q);
        } else
            PUT(*p);
    }
    PUT('"');
#undef PUT
    *len = n;
    return 0;
}

static int append_text(char *out, size_t cap, size_t *len, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int append_text(char *out, size_t cap, size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(out + *len, cap - *len, fmt, ap);
    va_end(ap);
    if (w < 0 || (size_t)w >= cap - *len)
        return -1;
    *len += (size_t)w;
    return 0;
}

/* One response line, written with a single write(2): the daemon and the slots share the response pipe, and a write
 * of at most PIPE_BUF (4096) bytes to a pipe is never interleaved with another. A line is at most about 3.4 KiB: an
 * id of 64 characters, a message of 511 bytes (6 bytes each when escaped) and the numbers. */
int write_result(int fd, const char *id, const struct result *r)
{
    char line[4096];
    size_t len = 0;
    if (append_text(line, sizeof line, &len, "{\"id\":") != 0 || json_append(line, sizeof line, &len, id) != 0 ||
        append_text(line, sizeof line, &len,
                    ",\"status\":\"%s\",\"exit\":%d,\"signal\":%d,\"cpu_us\":%lld,\"wall_us\":%lld,\"maxrss_kb\":%lld,"
                    "\"stdout_bytes\":%lld,\"stderr_bytes\":%lld,\"end_us\":%lld,\"message\":",
                    r->status, r->exit_code, r->signal, r->cpu_us, r->wall_us, r->maxrss_kb, r->stdout_bytes,
                    r->stderr_bytes, r->end_us > 0 ? r->end_us : now_us()) != 0 ||
        json_append(line, sizeof line, &len, r->message) != 0 || append_text(line, sizeof line, &len, "}\n") != 0) {
        errno = EMSGSIZE;
        return -1;
    }
    ssize_t w;
    do
        w = write(fd, line, len);
    while (w < 0 && errno == EINTR);
    return w == (ssize_t)len ? 0 : -1;
}

void result_internal(struct result *r, const char *fmt, ...)
{
    memset(r, 0, sizeof *r);
    strcpy(r->status, "internal");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->message, sizeof r->message, fmt, ap);
    va_end(ap);
}

void print_ready_false(const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char line[sizeof msg * 6 + 64]; /* written once at start-up: not bound by the pipe's atomic size */
    size_t len = 0;
    if (append_text(line, sizeof line, &len, "{\"ready\":false,\"error\":") != 0 ||
        json_append(line, sizeof line, &len, msg) != 0 || append_text(line, sizeof line, &len, "}\n") != 0)
        len = 0;
    fflush(stdout);
    if (write(STDOUT_FILENO, line, len) < 0)
        return;
}

long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}
