/* Per-step timing of the daemon and its slots (docs/PERFORMANCE.md, "Where the time goes"), off unless the daemon
 * starts with JUDGE_SANDBOX_TIMING set (to a label for its lines, or 1): each process sums the wall and CPU time of
 * its named steps and prints the means to stderr (the daemon when it exits, a slot every 50 runs; a slot also the
 * steps of its runs' inits, which share its memory and leave their times to it). Off, a step costs one branch. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "sandbox.h"

#define MAX_STEPS 32

int g_timing;
static const char *g_who = "daemon";
static char g_label[32] = "1";
static struct {
    const char *name;
    long long wall, cpu, n;
} g_steps[MAX_STEPS];
static int g_nsteps;
/* a slot's sums for its runs' inits, which share its memory and leave their step times to it */
static struct {
    const char *name;
    long long wall, cpu, n;
} g_init_steps[MAX_STEPS];
static int g_init_nsteps;
static long long g_mark_wall, g_mark_cpu;

static long long cpu_self_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void timing_init(const char *who)
{
    const char *v = getenv("JUDGE_SANDBOX_TIMING");
    g_timing = v != NULL && *v != '\0' && strcmp(v, "0") != 0;
    if (g_timing)
        snprintf(g_label, sizeof g_label, "%s", v);
    g_who = who;
    g_nsteps = 0;
    timing_mark();
}

void timing_reset(const char *who)
{
    g_who = who;
    g_nsteps = 0;
    timing_mark();
}

void timing_mark(void)
{
    if (!g_timing)
        return;
    g_mark_wall = now_us();
    g_mark_cpu = cpu_self_us();
}

void timing_add(const char *name, long long wall_us, long long cpu_us)
{
    int i = 0;
    while (i < g_nsteps && strcmp(g_steps[i].name, name) != 0)
        i++;
    if (i == g_nsteps) {
        if (g_nsteps == MAX_STEPS)
            return;
        g_steps[g_nsteps++].name = name;
    }
    g_steps[i].wall += wall_us;
    g_steps[i].cpu += cpu_us;
    g_steps[i].n++;
}

void timing_add_init(const char *name, long long wall_us, long long cpu_us)
{
    int i = 0;
    while (i < g_init_nsteps && strcmp(g_init_steps[i].name, name) != 0)
        i++;
    if (i == g_init_nsteps) {
        if (g_init_nsteps == MAX_STEPS)
            return;
        g_init_steps[g_init_nsteps++].name = name;
    }
    g_init_steps[i].wall += wall_us;
    g_init_steps[i].cpu += cpu_us;
    g_init_steps[i].n++;
}

void timing_step(const char *name)
{
    if (!g_timing)
        return;
    long long w = now_us(), c = cpu_self_us();
    timing_add(name, w - g_mark_wall, c - g_mark_cpu);
    g_mark_wall = w;
    g_mark_cpu = c;
}

void timing_report(void)
{
    if (!g_timing)
        return;
    struct rusage self, children;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    fprintf(stderr, "judge-sandbox timing[%s] %s %d: total cpu_us self=%lld children=%lld\n", g_label, g_who, (int)getpid(),
            (long long)self.ru_utime.tv_sec * 1000000 + self.ru_utime.tv_usec + self.ru_stime.tv_sec * 1000000 +
                self.ru_stime.tv_usec,
            (long long)children.ru_utime.tv_sec * 1000000 + children.ru_utime.tv_usec +
                children.ru_stime.tv_sec * 1000000 + children.ru_stime.tv_usec);
    for (int i = 0; i < g_nsteps; i++)
        fprintf(stderr, "judge-sandbox timing[%s] %s %d: %-24s n=%lld wall_us=%.1f cpu_us=%.1f\n", g_label, g_who, (int)getpid(),
                g_steps[i].name, g_steps[i].n, (double)g_steps[i].wall / (double)g_steps[i].n,
                (double)g_steps[i].cpu / (double)g_steps[i].n);
    for (int i = 0; i < g_init_nsteps; i++)
        fprintf(stderr, "judge-sandbox timing[%s] init %d: %-24s n=%lld wall_us=%.1f cpu_us=%.1f\n", g_label, (int)getpid(),
                g_init_steps[i].name, g_init_steps[i].n, (double)g_init_steps[i].wall / (double)g_init_steps[i].n,
                (double)g_init_steps[i].cpu / (double)g_init_steps[i].n);
    fflush(stderr);
}
