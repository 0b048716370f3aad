/*
 * Everything procgroup binds on Linux (glibc 2.36+, x86_64 and aarch64).
 * jextract reads this header; the symbols actually generated are listed in
 * linux.jextract (jextract's --include-* filters), so adding an #include here
 * changes nothing by itself.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
