/* Seccomp filter for sandboxed programs, written as classic BPF by hand (no libseccomp).
 *
 * Shape of the program (a default-allow list of denials):
 *   1. arch != x86-64            -> kill the process (the i386 ABI through int 0x80 has other numbers)
 *   2. number has the x32 bit    -> EPERM
 *   3. a binary search over the call numbers that are not simply allowed, sorted:
 *      - a few calls whose arguments matter (clone, socket, socketpair, ioctl, personality, and the calls that
 *        can ask for huge pages) -> checked
 *      - a fixed table of denied calls -> EPERM (clone3 -> ENOSYS so libc falls back to clone)
 *   4. everything else           -> allow
 * The search, not a chain of compares, because the kernel runs the filter for every call number at each load (to
 * build its cache of calls that are always allowed) and a program pays the walk on every call the cache does not
 * cover: about 10 instructions down the tree instead of up to 75 in a chain.
 * Arguments are 64-bit; BPF loads 32-bit words, so each check says which half it reads (little endian:
 * the low half is at offsetof(args[i]), the high half 4 bytes later). */
#define _GNU_SOURCE
#include "seccomp.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT 0x40000000
#endif

#define DOMAIN_UNIX 1
#define DOMAIN_INET 2
#define DOMAIN_INET6 10
#define MAP_HUGETLB_FLAG 0x40000u
#define SHM_HUGETLB_FLAG 04000u
#define MFD_HUGETLB_FLAG 0x4u
#define TIOCSTI_REQUEST 0x5412
#define TIOCLINUX_REQUEST 0x541C
#define PERSONALITY_QUERY 0xffffffffu

#define CLONE_NAMESPACE_FLAGS \
    (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME)

#define ARG_LO(i) ((unsigned)offsetof(struct seccomp_data, args[i]))
#define ARG_HI(i) ((unsigned)offsetof(struct seccomp_data, args[i]) + 4u)

#define RET_ERRNO(e) (SECCOMP_RET_ERRNO | ((e) & SECCOMP_RET_DATA))

/* Calls denied outright with EPERM. Numbers are from <sys/syscall.h>; a missing one is simply skipped. */
static const int denied_calls[] = {
    SYS_add_key, SYS_request_key, SYS_keyctl,
    SYS_io_uring_setup, SYS_io_uring_enter, SYS_io_uring_register,
    SYS_ptrace, SYS_process_vm_readv, SYS_process_vm_writev, SYS_kcmp,
#ifdef SYS_pidfd_getfd
    SYS_pidfd_getfd,
#endif
    SYS_perf_event_open, SYS_bpf,
    SYS_mount, SYS_umount2, SYS_pivot_root, SYS_chroot,
#ifdef SYS_move_mount
    SYS_move_mount, SYS_open_tree, SYS_fsopen, SYS_fsconfig, SYS_fsmount, SYS_fspick,
#endif
#ifdef SYS_mount_setattr
    SYS_mount_setattr,
#endif
    SYS_unshare, SYS_setns,
    SYS_kexec_load, SYS_kexec_file_load, SYS_init_module, SYS_finit_module, SYS_delete_module,
    SYS_reboot, SYS_swapon, SYS_swapoff, SYS_acct, SYS_quotactl,
#ifdef SYS_quotactl_fd
    SYS_quotactl_fd,
#endif
    SYS_open_by_handle_at, SYS_name_to_handle_at, SYS_userfaultfd, SYS_lookup_dcookie, SYS_fanotify_init,
    SYS_syslog, SYS_vhangup, SYS_iopl, SYS_ioperm,
    /* asynchronous I/O contexts count against a host-wide limit (fs.aio-max-nr) that one run could exhaust */
    SYS_io_setup,
    /* memory placement across NUMA nodes and the local descriptor table: nothing a contest program needs */
    SYS_mbind, SYS_move_pages, SYS_migrate_pages, SYS_modify_ldt,
};

#define DENIED_COUNT (sizeof(denied_calls) / sizeof(denied_calls[0]))

/* Calls that are not simply allowed: what the search finds for them. */
enum action { DENY, CLONE, CLONE3, SOCKET, MMAP, SHMGET, MEMFD, IOCTL, PERSONALITY };

struct entry {
    int nr;
    enum action action;
};

#define MAX_ENTRIES (DENIED_COUNT + 16)
/* Per entry a compare and its body (at most 6), per node of the search one compare, per leaf one allow. */
#define MAX_INSNS 512
/* Leaves of the search hold up to this many entries, compared one after another. */
#define LEAF_ENTRIES 4

struct builder {
    struct sock_filter insns[MAX_INSNS];
    unsigned count;
    int overflow;
};

static void emit(struct builder *b, struct sock_filter insn)
{
    if (b->count >= MAX_INSNS) {
        b->overflow = 1;
        return;
    }
    b->insns[b->count++] = insn;
}

#define STMT(code, k) ((struct sock_filter)BPF_STMT((code), (k)))
#define JUMP(code, k, jt, jf) ((struct sock_filter)BPF_JUMP((code), (k), (jt), (jf)))
#define LOAD(off) STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define RETURN(v) STMT(BPF_RET | BPF_K, (v))
#define LOAD_NR LOAD((unsigned)offsetof(struct seccomp_data, nr))

/* Body: deny with EPERM when any of bits is set in the 32-bit argument word at off, else allow. */
static void deny_if_bits_set(struct builder *b, unsigned off, unsigned bits)
{
    emit(b, LOAD(off));
    emit(b, JUMP(BPF_JMP | BPF_JSET | BPF_K, bits, 0, 1));
    emit(b, RETURN(RET_ERRNO(EPERM)));
    emit(b, RETURN(SECCOMP_RET_ALLOW));
}

/* Body: allow socket families UNIX, INET and INET6 only; any other answers EAFNOSUPPORT, as a kernel without that
 * family would. The domain is an int: its low word is all the kernel reads. Other families reach the host past the
 * network namespace (AF_VSOCK), load kernel modules of rarely used protocols on first use, or talk to the kernel
 * (AF_NETLINK, AF_PACKET, AF_ALG, ...). */
static void allow_socket_families(struct builder *b)
{
    emit(b, LOAD(ARG_LO(0)));
    emit(b, JUMP(BPF_JMP | BPF_JEQ | BPF_K, DOMAIN_UNIX, 3, 0));
    emit(b, JUMP(BPF_JMP | BPF_JEQ | BPF_K, DOMAIN_INET, 2, 0));
    emit(b, JUMP(BPF_JMP | BPF_JEQ | BPF_K, DOMAIN_INET6, 1, 0));
    emit(b, RETURN(RET_ERRNO(EAFNOSUPPORT)));
    emit(b, RETURN(SECCOMP_RET_ALLOW));
}

/* Emits what a call found by the search gets. Every body ends in returns (it may load an argument: nothing after it
 * reads the number again). */
static void emit_body(struct builder *b, enum action action)
{
    switch (action) {
    case DENY:
        emit(b, RETURN(RET_ERRNO(EPERM)));
        break;
    case CLONE: /* clone(flags, ...): no namespace flag (the low word of arg0 holds all CLONE_NEW* bits) */
        deny_if_bits_set(b, ARG_LO(0), CLONE_NAMESPACE_FLAGS);
        break;
    case CLONE3: /* its flags are in memory the filter cannot read: ENOSYS makes glibc fall back to clone */
        emit(b, RETURN(RET_ERRNO(ENOSYS)));
        break;
    case SOCKET: /* socket and socketpair */
        allow_socket_families(b);
        break;
    /* Huge pages are not charged to the memory cgroup: mmap(MAP_HUGETLB), shmget(SHM_HUGETLB) and
     * memfd_create(MFD_HUGETLB) are denied; the same calls without the flag are allowed. */
    case MMAP:
        deny_if_bits_set(b, ARG_LO(3), MAP_HUGETLB_FLAG);
        break;
    case SHMGET:
        deny_if_bits_set(b, ARG_LO(2), SHM_HUGETLB_FLAG);
        break;
    case MEMFD:
        deny_if_bits_set(b, ARG_LO(1), MFD_HUGETLB_FLAG);
        break;
    case IOCTL: /* TIOCSTI, TIOCLINUX: typing into or driving a terminal. Compared on the request's low 32 bits, as
                 * the kernel itself truncates it to unsigned int. */
        emit(b, LOAD(ARG_LO(1)));
        emit(b, JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCSTI_REQUEST, 2, 0));
        emit(b, JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCLINUX_REQUEST, 1, 0));
        emit(b, RETURN(SECCOMP_RET_ALLOW));
        emit(b, RETURN(RET_ERRNO(EPERM)));
        break;
    case PERSONALITY: /* only 0 (PER_LINUX) and the 0xffffffff query; others change the ABI (READ_IMPLIES_EXEC,
                       * ADDR_NO_RANDOMIZE, ...). The kernel takes an unsigned int. */
        emit(b, LOAD(ARG_LO(0)));
        emit(b, JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0));
        emit(b, JUMP(BPF_JMP | BPF_JEQ | BPF_K, PERSONALITY_QUERY, 1, 0));
        emit(b, RETURN(RET_ERRNO(EPERM)));
        emit(b, RETURN(SECCOMP_RET_ALLOW));
        break;
    }
}

/* Emits the search over e[0..n) (sorted by number), with the number in the accumulator: a leaf compares its entries
 * one after another and allows what none of them is; a node sends numbers at or above its middle entry's to the
 * right half. Jumps only go forward, so the left half comes first and the node's jump skips it. */
static void emit_search(struct builder *b, const struct entry *e, size_t n)
{
    if (n <= LEAF_ENTRIES) {
        for (size_t i = 0; i < n; i++) {
            unsigned at = b->count;
            emit(b, JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)e[i].nr, 0, 0));
            emit_body(b, e[i].action);
            if (!b->overflow)
                b->insns[at].jf = (unsigned char)(b->count - at - 1); /* a body is at most 6 instructions */
        }
        emit(b, RETURN(SECCOMP_RET_ALLOW));
        return;
    }
    size_t mid = n / 2;
    unsigned at = b->count;
    emit(b, JUMP(BPF_JMP | BPF_JGE | BPF_K, (unsigned)e[mid].nr, 0, 0));
    emit_search(b, e, mid);
    if (b->overflow)
        return;
    unsigned skip = b->count - at - 1;
    if (skip > 255) { /* BPF jumps reach at most 255 ahead */
        b->overflow = 1;
        return;
    }
    b->insns[at].jt = (unsigned char)skip;
    emit_search(b, e + mid, n - mid);
}

static int by_number(const void *a, const void *b)
{
    int x = ((const struct entry *)a)->nr, y = ((const struct entry *)b)->nr;
    return (x > y) - (x < y);
}

size_t judge_seccomp_denied_calls(const int **calls)
{
    *calls = denied_calls;
    return DENIED_COUNT;
}

int judge_seccomp_build(struct sock_fprog *prog, char *err, size_t errlen)
{
    static struct builder b; /* the program points into it: built once per process, kept */
    memset(&b, 0, sizeof b);

    struct entry e[MAX_ENTRIES];
    size_t n = 0;
    static const struct entry checked[] = {
        { SYS_clone, CLONE }, { SYS_clone3, CLONE3 }, { SYS_socket, SOCKET }, { SYS_socketpair, SOCKET },
        { SYS_mmap, MMAP }, { SYS_shmget, SHMGET }, { SYS_memfd_create, MEMFD }, { SYS_ioctl, IOCTL },
        { SYS_personality, PERSONALITY },
    };
    for (size_t i = 0; i < sizeof checked / sizeof checked[0]; i++)
        e[n++] = checked[i];
    for (size_t i = 0; i < DENIED_COUNT; i++)
        e[n++] = (struct entry){ denied_calls[i], DENY };
    qsort(e, n, sizeof e[0], by_number);
    for (size_t i = 1; i < n; i++)
        if (e[i].nr == e[i - 1].nr) {
            snprintf(err, errlen, "seccomp: call %d is listed twice", e[i].nr);
            return -1;
        }

    /* 1. Architecture: anything but native x86-64 (i386 via int 0x80, or an unknown one) kills the process. */
    emit(&b, LOAD((unsigned)offsetof(struct seccomp_data, arch)));
    emit(&b, JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0));
    emit(&b, RETURN(SECCOMP_RET_KILL_PROCESS));

    /* 2. The x32 ABI shares the arch value but sets bit 30 in the number. */
    emit(&b, LOAD_NR);
    emit(&b, JUMP(BPF_JMP | BPF_JSET | BPF_K, __X32_SYSCALL_BIT, 0, 1));
    emit(&b, RETURN(RET_ERRNO(EPERM)));

    /* 3, 4. The search; what it does not find is allowed. */
    emit_search(&b, e, n);

    if (b.overflow) {
        snprintf(err, errlen, "seccomp: filter longer than %d instructions or a jump out of reach", MAX_INSNS);
        return -1;
    }

    prog->len = (unsigned short)b.count;
    prog->filter = b.insns;
    return 0;
}

int judge_seccomp_install(char *err, size_t errlen)
{
    struct sock_fprog prog;
    if (judge_seccomp_build(&prog, err, errlen) != 0)
        return -1;
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
        return 0;
    if (errno == ENOSYS || errno == EINVAL) {
        if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == 0)
            return 0;
    }
    snprintf(err, errlen, "seccomp: installing the filter failed: %s%s", strerror(errno),
             errno == EACCES ? " (set no_new_privs first or hold CAP_SYS_ADMIN)" : "");
    return -1;
}
