/* Seccomp filter for sandboxed programs, written as classic BPF by hand (no libseccomp).
 *
 * Shape of the program (a default-allow list of denials):
 *   1. arch != x86-64            -> kill the process (the i386 ABI through int 0x80 has other numbers)
 *   2. number has the x32 bit    -> EPERM
 *   3. a few calls whose arguments matter (clone, socket, socketpair, ioctl, personality, and the calls that
 *      can ask for huge pages) -> checked
 *   4. a fixed table of denied calls -> EPERM (clone3 -> ENOSYS so libc falls back to clone)
 *   5. everything else           -> allow
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

/* About 55 fixed instructions plus one per denied call; BPF jumps reach at most 255 ahead. */
#define MAX_INSNS 200

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

/* Emits "if nr == syscall_nr then <body> else skip body": the caller emits exactly body_len instructions next,
 * each of which must end in a return (or reload nr before falling through). */
static void if_call(struct builder *b, int syscall_nr, unsigned char body_len)
{
    emit(b, JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)syscall_nr, 0, body_len));
}

/* Body (4 insns): deny with EPERM when any of bits is set in the 32-bit argument word at off, else allow. */
static void deny_if_bits_set(struct builder *b, unsigned off, unsigned bits)
{
    emit(b, LOAD(off));
    emit(b, JUMP(BPF_JMP | BPF_JSET | BPF_K, bits, 0, 1));
    emit(b, RETURN(RET_ERRNO(EPERM)));
    emit(b, RETURN(SECCOMP_RET_ALLOW));
}

/* Body (6 insns): allow socket families UNIX, INET and INET6 only; any other answers EAFNOSUPPORT, as a kernel
 * without that family would. The domain is an int: its low word is all the kernel reads. */
static void allow_socket_families(struct builder *b)
{
    emit(b, LOAD(ARG_LO(0)));
    emit(b, JUMP(BPF_JMP | BPF_JEQ | BPF_K, DOMAIN_UNIX, 3, 0));
    emit(b, JUMP(BPF_JMP | BPF_JEQ | BPF_K, DOMAIN_INET, 2, 0));
    emit(b, JUMP(BPF_JMP | BPF_JEQ | BPF_K, DOMAIN_INET6, 1, 0));
    emit(b, RETURN(RET_ERRNO(EAFNOSUPPORT)));
    emit(b, RETURN(SECCOMP_RET_ALLOW));
}

int judge_seccomp_build(struct sock_fprog *prog, char *err, size_t errlen)
{
    static struct builder b; /* the program points into it: built once per process, kept */
    memset(&b, 0, sizeof b);

    /* 1. Architecture: anything but native x86-64 (i386 via int 0x80, or an unknown one) kills the process. */
    emit(&b, LOAD((unsigned)offsetof(struct seccomp_data, arch)));
    emit(&b, JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0));
    emit(&b, RETURN(SECCOMP_RET_KILL_PROCESS));

    /* 2. The x32 ABI shares the arch value but sets bit 30 in the number. */
    emit(&b, LOAD_NR);
    emit(&b, JUMP(BPF_JMP | BPF_JSET | BPF_K, __X32_SYSCALL_BIT, 0, 1));
    emit(&b, RETURN(RET_ERRNO(EPERM)));

    /* 3a. clone(flags, ...): deny any namespace flag (low word of arg0 holds all CLONE_NEW* bits). */
    if_call(&b, SYS_clone, 4);
    emit(&b, LOAD(ARG_LO(0)));
    emit(&b, JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_NAMESPACE_FLAGS, 0, 1));
    emit(&b, RETURN(RET_ERRNO(EPERM)));
    emit(&b, RETURN(SECCOMP_RET_ALLOW));

    /* 3b. clone3 keeps its flags in memory the filter cannot read: ENOSYS makes glibc fall back to clone. */
    if_call(&b, SYS_clone3, 1);
    emit(&b, RETURN(RET_ERRNO(ENOSYS)));

    /* 3c. socket / socketpair: only the families a program needs. Others reach the host past the network namespace
     *     (AF_VSOCK), load kernel modules of rarely used protocols on first use, or talk to the kernel (AF_NETLINK,
     *     AF_PACKET, AF_ALG, ...). */
    if_call(&b, SYS_socket, 6);
    allow_socket_families(&b);
    if_call(&b, SYS_socketpair, 6);
    allow_socket_families(&b);

    /* 3c'. Huge pages are not charged to the memory cgroup: mmap(MAP_HUGETLB), shmget(SHM_HUGETLB) and
     *      memfd_create(MFD_HUGETLB) are denied; the same calls without the flag are allowed. */
    if_call(&b, SYS_mmap, 4);
    deny_if_bits_set(&b, ARG_LO(3), MAP_HUGETLB_FLAG);
    if_call(&b, SYS_shmget, 4);
    deny_if_bits_set(&b, ARG_LO(2), SHM_HUGETLB_FLAG);
    if_call(&b, SYS_memfd_create, 4);
    deny_if_bits_set(&b, ARG_LO(1), MFD_HUGETLB_FLAG);

    /* 3d. ioctl(fd, TIOCSTI | TIOCLINUX): typing into or driving a terminal. The request is compared on its
     *     low 32 bits, as the kernel itself truncates it to unsigned int. */
    if_call(&b, SYS_ioctl, 5);
    emit(&b, LOAD(ARG_LO(1)));
    emit(&b, JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCSTI_REQUEST, 2, 0));
    emit(&b, JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCLINUX_REQUEST, 1, 0));
    emit(&b, RETURN(SECCOMP_RET_ALLOW));
    emit(&b, RETURN(RET_ERRNO(EPERM)));

    /* 3e. personality: only 0 (PER_LINUX) and the 0xffffffff query; other personalities change the ABI
     *     (READ_IMPLIES_EXEC, ADDR_NO_RANDOMIZE, ...). The kernel takes an unsigned int. */
    if_call(&b, SYS_personality, 5);
    emit(&b, LOAD(ARG_LO(0)));
    emit(&b, JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0));
    emit(&b, JUMP(BPF_JMP | BPF_JEQ | BPF_K, PERSONALITY_QUERY, 1, 0));
    emit(&b, RETURN(RET_ERRNO(EPERM)));
    emit(&b, RETURN(SECCOMP_RET_ALLOW));

    /* 4. The table: each entry jumps forward to one shared EPERM return placed after the allow. */
    for (size_t i = 0; i < DENIED_COUNT; i++) {
        unsigned remaining = (unsigned)(DENIED_COUNT - 1 - i);
        /* jt skips the remaining compares and the allow: lands on the EPERM return. */
        emit(&b, JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)denied_calls[i], (unsigned char)(remaining + 1), 0));
    }
    /* 5. Default. */
    emit(&b, RETURN(SECCOMP_RET_ALLOW));
    emit(&b, RETURN(RET_ERRNO(EPERM)));

    if (b.overflow) {
        snprintf(err, errlen, "seccomp: filter longer than %d instructions", MAX_INSNS);
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
