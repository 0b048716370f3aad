/*
 * Everything procgroup binds on Linux (glibc 2.36+, x86_64 and aarch64).
 * jextract reads this header; the symbols actually generated are listed in
 * linux.jextract (jextract's --include-* filters), so adding an #include here
 * changes nothing by itself.
 */
#define _GNU_SOURCE 1
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * posix_spawnattr_setcgroup_np and POSIX_SPAWN_SETCGROUP arrived in glibc 2.39 (CLONE_INTO_CGROUP
 * for posix_spawn). Older glibc (2.36 here) lacks both, so they are declared with glibc 2.39's
 * ABI and parameter names (the generated code is then the same with either header). A caller
 * must look the function up at run time (SymbolLookup) and fall back when it is missing; the
 * flag means nothing to a glibc that does not know it.
 */
#ifndef POSIX_SPAWN_SETCGROUP
#define POSIX_SPAWN_SETCGROUP 0x100
extern int posix_spawnattr_setcgroup_np (posix_spawnattr_t *__attr, int __cgroup);
#endif

/*
 * pidfd_send_signal flag (Linux 6.9): signal the process group of the pidfd's process.
 * Absent from glibc 2.36's <sys/pidfd.h>; the value is the kernel's (include/uapi/linux/pidfd.h).
 */
#ifndef PIDFD_SIGNAL_PROCESS_GROUP
#define PIDFD_SIGNAL_PROCESS_GROUP (1UL << 2)
#endif
