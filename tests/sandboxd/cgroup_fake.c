/* Checks the cgroup v1 and v2 file names and formats of cgroup.c against fake directory trees (files created in
 * advance, as the kernel would). Built and run by drive.py: cgroup_fake <tmpdir>; exit 0 when all checks pass. */
#include "../../src/Engine/Sandbox/Linux/native/cgroup.c"

static int failures;

static void put(const char *dir, const char *name, const char *text)
{
    char p[PATH_MAX + 64];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    fputs(text, f);
    fclose(f);
}

static void check_file(const char *dir, const char *name, const char *want)
{
    char buf[256] = "";
    int d = open(dir, O_DIRECTORY | O_RDONLY);
    read_file_at(d, name, buf, sizeof buf);
    close(d);
    if (strcmp(buf, want) != 0) {
        printf("FAIL %s/%s = '%s', want '%s'\n", dir, name, buf, want);
        failures++;
    }
}

static void check(int cond, const char *what)
{
    if (!cond) {
        printf("FAIL %s\n", what);
        failures++;
    }
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    char run[PATH_MAX + 64], base[PATH_MAX];
    struct limits lim = { .mem_bytes = 1048576, .nproc = 7 };
    char err[512];
    struct cg_handles h;

    /* v2 */
    snprintf(base, sizeof base, "%s/v2/judge-1", argv[1]);
    snprintf(run, sizeof run, "%s/run-5", base);
    {
        char cmd[PATH_MAX * 2];
        snprintf(cmd, sizeof cmd, "mkdir -p '%s'", run);
        if (system(cmd) != 0) return 2;
    }
    const char *v2files[] = { "memory.max", "memory.swap.max", "memory.oom.group", "pids.max", "cgroup.procs",
                              "memory.current" };
    for (size_t i = 0; i < sizeof v2files / sizeof *v2files; i++)
        put(run, v2files[i], "");
    put(run, "cpu.stat", "usage_usec 1234\nuser_usec 1000\nsystem_usec 234\n");
    put(run, "memory.peak", "5000000\n");
    put(run, "memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 2\n");
    g_v2 = 1;
    g_ndirs = 1;
    snprintf(g_base[0], sizeof g_base[0], "%s", base);
    check(cg_run_create(5, &lim, &h, err, sizeof err) == 0 && h.n == 1 && h.v2 == 1, "v2 cg_run_create");
    check_file(run, "memory.max", "68157440"); /* 1 MiB + the 64 MiB headroom */
    check_file(run, "memory.swap.max", "0");
    check_file(run, "memory.oom.group", "1");
    check_file(run, "pids.max", "7"); /* nproc: the run's init and the slot are not in the cgroup */
    check(cg_cpu_us(&h) == 1234, "v2 cpu.stat usage_usec");
    long long peak = 0, oom = 0;
    cg_mem_final(&h, &peak, &oom);
    check(peak == 5000000 && oom == 2, "v2 memory.peak / memory.events oom_kill");
    check(cg_oom_kills(&h) == 2, "v2 memory.events oom_kill while running");
    check(cg_join(&h) == 0, "v2 join");
    check_file(run, "cgroup.procs", "0");
    check(cg_procs_count(&h) == 0, "v2 procs count (no newline)");
    put(run, "cgroup.procs", "12\n13\n");
    check(cg_procs_count(&h) == 2, "v2 procs count");

    /* v1 */
    const char *ctl[3] = { "memory", "cpuacct", "pids" };
    for (int i = 0; i < 3; i++) {
        snprintf(g_base[i], sizeof g_base[i], "%s/v1/%s/judge-1", argv[1], ctl[i]);
        char cmd[PATH_MAX * 2];
        snprintf(cmd, sizeof cmd, "mkdir -p '%s/run-6'", g_base[i]);
        if (system(cmd) != 0) return 2;
        snprintf(run, sizeof run, "%s/run-6", g_base[i]);
        put(run, "cgroup.procs", "");
    }
    snprintf(run, sizeof run, "%s/run-6", g_base[0]);
    put(run, "memory.limit_in_bytes", "");
    put(run, "memory.memsw.limit_in_bytes", "");
    put(run, "memory.max_usage_in_bytes", "7000000\n");
    put(run, "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
    put(g_base[1], "run-6/cpuacct.usage", "2500000\n");
    put(g_base[2], "run-6/pids.max", "");
    g_v2 = 0;
    g_ndirs = 3;
    g_memsw = 1;
    check(cg_run_create(6, &lim, &h, err, sizeof err) == 0 && h.n == 3 && h.v2 == 0, "v1 cg_run_create");
    snprintf(run, sizeof run, "%s/run-6", g_base[0]);
    check_file(run, "memory.limit_in_bytes", "68157440");
    check_file(run, "memory.memsw.limit_in_bytes", "68157440");
    snprintf(run, sizeof run, "%s/run-6", g_base[2]);
    check_file(run, "pids.max", "7");
    check(cg_cpu_us(&h) == 2500, "v1 cpuacct.usage ns -> us");
    peak = oom = 0;
    cg_mem_final(&h, &peak, &oom);
    check(peak == 7000000 && oom == 1, "v1 max_usage_in_bytes / oom_control oom_kill");
    check(cg_oom_kills(&h) == 1, "v1 memory.oom_control oom_kill while running");

    /* the ceiling: 64 MiB of headroom up to 256 MiB, a quarter above; never an overflow */
    check(cg_mem_ceiling(1 << 20) == (1 << 20) + (64 << 20), "ceiling of 1 MiB");
    check(cg_mem_ceiling(1LL << 30) == (1LL << 30) + (1LL << 28), "ceiling of 1 GiB");
    check(cg_mem_ceiling(MEM_CEILING_MAX - 1) == MEM_CEILING_MAX, "ceiling of a huge limit");
    check(cg_join(&h) == 0, "v1 join");
    for (int i = 0; i < 3; i++) {
        snprintf(run, sizeof run, "%s/run-6", g_base[i]);
        check_file(run, "cgroup.procs", "0");
    }
    printf(failures ? "cgroup fake-tree checks FAILED\n" : "cgroup fake-tree checks passed\n");
    return failures ? 1 : 0;
}
