/* Raw system calls for the processes that share the slot's memory: the run's init, cloned with CLONE_VM, and the
 * program's process until its execve (slot.c, "the run's init"). They run while the slot runs on, with the slot's
 * thread-local storage (errno), heap and stdio, so they use none of it: no libc call that sets errno, locks or
 * allocates; only these wrappers (which return the kernel's value: >= 0, or -errno) and pure functions (memcpy,
 * strlen). x86-64 only, as the seccomp filter is. */
#ifndef JUDGE_RAWSYS_H
#define JUDGE_RAWSYS_H

#if !defined(__x86_64__)
#error "judge-sandbox's raw system calls (rawsys.h) are written for x86-64, as its seccomp filter is"
#endif

#include <sys/syscall.h>

static inline long raw_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

#define RAW_L(x) ((long)(x))
#define RAW0(n) raw_syscall6((n), 0, 0, 0, 0, 0, 0)
#define RAW1(n, a) raw_syscall6((n), RAW_L(a), 0, 0, 0, 0, 0)
#define RAW2(n, a, b) raw_syscall6((n), RAW_L(a), RAW_L(b), 0, 0, 0, 0)
#define RAW3(n, a, b, c) raw_syscall6((n), RAW_L(a), RAW_L(b), RAW_L(c), 0, 0, 0)
#define RAW4(n, a, b, c, d) raw_syscall6((n), RAW_L(a), RAW_L(b), RAW_L(c), RAW_L(d), 0, 0)
#define RAW5(n, a, b, c, d, e) raw_syscall6((n), RAW_L(a), RAW_L(b), RAW_L(c), RAW_L(d), RAW_L(e), 0)

static inline __attribute__((noreturn)) void raw_exit(int code)
{
    for (;;)
        RAW1(SYS_exit_group, code);
}

/* clone(2) with fn run on stack (its top) in the child, which exits with fn's value: the child touches no memory
 * but that stack before fn runs (unlike glibc's wrapper, it sets no errno in the parent either). Returns the child's
 * pid, or -errno. In rawsys.c. */
long judge_raw_clone(unsigned long flags, void *stack_top, int (*fn)(void *), void *arg);

#endif
