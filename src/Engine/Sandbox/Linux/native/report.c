/* JSON output of the daemon. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "sandbox.h"

void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x80) {
            /* pass valid UTF-8 through; anything else becomes U+FFFD so that the line stays valid JSON */
            int len = (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
            int ok = len > 0 && !(len == 2 && *p < 0xc2) && !(len == 4 && *p > 0xf4);
            for (int i = 1; ok && i < len; i++)
                ok = (p[i] & 0xc0) == 0x80;
            if (ok && len == 3)
                ok = !(*p == 0xe0 && p[1] < 0xa0) && !(*p == 0xed && p[1] >= 0xa0);
            if (ok && len == 4)
                ok = !(*p == 0xf0 && p[1] < 0x90) && !(*p == 0xf4 && p[1] >= 0x90);
            if (ok) {
                fwrite(p, 1, (size_t)len, f);
                p += len - 1;
            } else
                fputs("\\ufffd", f);
        } else if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

void print_result(FILE *f, const char *id, const struct result *r)
{
    fputs("{\"id\":", f);
    json_string(f, id);
    fprintf(f,
            ",\"status\":\"%s\",\"exit\":%d,\"signal\":%d,\"cpu_us\":%lld,\"wall_us\":%lld,\"maxrss_kb\":%lld,"
            "\"stdout_bytes\":%lld,\"stderr_bytes\":%lld,\"message\":",
            r->status, r->exit_code, r->signal, r->cpu_us, r->wall_us, r->maxrss_kb, r->stdout_bytes,
            r->stderr_bytes);
    json_string(f, r->message);
    fputs("}\n", f);
    fflush(f);
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
    fputs("{\"ready\":false,\"error\":", stdout);
    json_string(stdout, msg);
    fputs("}\n", stdout);
    fflush(stdout);
}

long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}
