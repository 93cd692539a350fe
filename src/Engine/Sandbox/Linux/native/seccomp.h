/* Seccomp filter for sandboxed programs: denies kernel objects and interfaces that namespaces do not isolate. */
#ifndef JUDGE_SECCOMP_H
#define JUDGE_SECCOMP_H

#include <stddef.h>

/* Installs the filter on the calling thread (inherited by children and kept across execve).
 * Requires no_new_privs (or CAP_SYS_ADMIN). Returns 0, or -1 with a message in err. */
int judge_seccomp_install(char *err, size_t errlen);

#endif
