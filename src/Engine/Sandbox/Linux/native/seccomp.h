/* Seccomp filter for sandboxed programs: denies kernel objects and interfaces that namespaces do not isolate. */
#ifndef JUDGE_SECCOMP_H
#define JUDGE_SECCOMP_H

#include <linux/filter.h>
#include <stddef.h>

/* Builds the filter once (into static memory, which prog then points to), for a process that installs it with
 * seccomp(2) itself (the program's process before execve, which may use no libc). Returns 0, or -1 with a message. */
int judge_seccomp_build(struct sock_fprog *prog, char *err, size_t errlen);

/* The calls the filter denies outright with EPERM (for tests): points calls at the table, returns its length. */
size_t judge_seccomp_denied_calls(const int **calls);

/* Installs the filter on the calling thread (inherited by children and kept across execve).
 * Requires no_new_privs (or CAP_SYS_ADMIN). Returns 0, or -1 with a message in err. */
int judge_seccomp_install(char *err, size_t errlen);

#endif
