/*
 * The C floor: the work of each procgroup benchmark done with bare system calls, so the
 * comparison table can give every Java figure as a ratio to what the kernel needs.
 * Compiled at benchmark time with the system's cc (see Floor.java); run by Compare in the same
 * run as the JMH benchmarks.
 *
 *   floor spawn ITER           posix_spawn /bin/true (3 pipes, own process group) + waitpid
 *   floor start ITER           the same, timed until posix_spawn has returned and the child's
 *                              pipe ends are closed (the waitpid untimed)
 *   floor kill ITER            SIGKILL + waitpid of a sleep (spawned untimed, settled: asleep)
 *   floor treekill N ITER      killpg + waitpid of N+1 sleeps in one group (spawned untimed)
 *   floor tree N ITER          list a tree of N+1 sleeps from /proc/PID/task/TID/children + stat
 *   floor killround N waits|exits ITER
 *                              procgroup's kill round (close()) of a shell and its N sleeps, bare:
 *                              the walk, the checks, killpg, the waits by pidfd (see below)
 *   floor pipe MB ITER         read MB MiB from `dd if=/dev/zero bs=1M` through a pipe
 *   floor threads T MILLIS     T threads, each spawn+wait /bin/true in a loop, for MILLIS ms
 *   floor reaper PROGRAM ARGS  runs PROGRAM as its child, a child subreaper that reaps every
 *                              orphan below it at once (as systemd, tini or docker's --init do),
 *                              and exits as it does: the tree-kill benchmarks' other host
 *
 * Each prints one line the table reads: BENCHMARK_CLASS PARAMS SCORE UNIT [METHOD], PARAMS being
 * "-" or name=value[,name=value]; METHOD (the row's library) is the floor's unless named.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void die(const char *what) {
    fprintf(stderr, "floor: %s: %s (errno %d)\n", what, strerror(errno), errno);
    exit(1);
}

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* posix_spawnp of argv into process group pgid (0: a new group led by the child). With pipes,
 * stdin/stdout/stderr are pipes as procgroup's and ProcessBuilder's defaults; our ends go to
 * fds[0..2] (-1 where none), else all three are /dev/null. */
static pid_t spawn(char *const argv[], pid_t pgid, int with_pipes, int fds[3]) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    int p[3][2];
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, pgid);
    for (int i = 0; i < 3; i++) {
        if (with_pipes) {
            if (pipe2(p[i], O_CLOEXEC) != 0) die("pipe2");
            /* stdin: the child reads p[0][0]; stdout, stderr: the child writes p[i][1] */
            posix_spawn_file_actions_adddup2(&actions, i == 0 ? p[i][0] : p[i][1], i);
        } else {
            posix_spawn_file_actions_addopen(&actions, i, "/dev/null", i == 0 ? O_RDONLY : O_WRONLY, 0);
        }
    }
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &actions, &attr, argv, environ);
    if (rc != 0) {
        errno = rc;
        die("posix_spawnp");
    }
    for (int i = 0; i < 3 && with_pipes; i++) {
        close(i == 0 ? p[i][0] : p[i][1]);
        fds[i] = i == 0 ? p[i][1] : p[i][0];
    }
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    return pid;
}

static void reap(pid_t pid) {
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) die("waitpid");
    }
}

static char *const TRUE_ARGV[] = {"/bin/true", NULL};

static void spawn_wait_true(void) {
    int fds[3];
    pid_t pid = spawn(TRUE_ARGV, 0, 1, fds);
    reap(pid);
    for (int i = 0; i < 3; i++) close(fds[i]);
}

/* Reads a /proc file into buf, NUL-ended, as procgroup's ProcFile does: 4 KiB reads, and a read
 * shorter than 4 KiB by more than 64 bytes is the end (the kernel made the file whole up to
 * there), so the read that would return 0 is not made. @return its length, or -1 if it is gone */
static ssize_t read_proc(const char *path, char *buf, size_t size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t total = 0;
    for (;;) {
        size_t room = size - 1 - total < 4096 ? size - 1 - total : 4096;
        ssize_t n = room == 0 ? 0 : read(fd, buf + total, room);
        if (n <= 0) break;
        total += (size_t) n;
        if (n < 4096 - 64) break;
    }
    close(fd);
    buf[total] = 0;
    return (ssize_t) total;
}

/* Waits (untimed) until pid has exec'd comm (sleep, sh) and sleeps in the kernel (state S): started
 * up, and taking no CPU, as the Java tree benchmarks wait (ProcStat.whenAsleep). Polls without
 * sleeping: an idle CPU is slow to wake on some hosts, which the timed kill would pay. */
static void await_asleep(pid_t pid, const char *comm) {
    char path[64], stat[512], name[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int) pid);
    snprintf(name, sizeof name, "(%s)", comm);
    for (;;) {
        if (read_proc(path, stat, sizeof stat) <= 0) die("read /proc/PID/stat");
        char *end = strrchr(stat, ')');
        if (strstr(stat, name) != NULL && end != NULL && end[1] == ' ' && end[2] == 'S') return;
    }
}

static char *const SLEEP[] = {"sleep", "1000", NULL};

/* Spawns count sleeps into one new group; the first leads it. */
static void spawn_sleeps(pid_t *pids, int count) {
    for (int i = 0; i < count; i++) {
        pids[i] = spawn(SLEEP, i == 0 ? 0 : pids[0], 0, NULL);
    }
    for (int i = 0; i < count; i++) await_asleep(pids[i], "sleep");
}

static int count_tree(pid_t pid) {
    char path[96], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", (int) pid);
    read_proc(path, buf, sizeof buf);
    snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int) pid, (int) pid);
    int total = 1;
    if (read_proc(path, buf, sizeof buf) > 0) {
        char *save = NULL;
        for (char *tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save)) {
            total += count_tree((pid_t) atoi(tok));
        }
    }
    return total;
}

/* ---- killround: procgroup's kill round, bare ----
 * What GroupProcess.close() does to a tree, in the same system calls, with no Java: the pid
 * cursor; the walk (each process's stat and children file, from the shell down, then the children
 * of this program's ancestors, where orphans go: one getpgid each, and a walk from those in the
 * group); one pidfd each to check that none exited during the walk; killpg; the shell's reap;
 * one pidfd each, polled until every listed process has exited; the cursor again. The tree is
 * TreeKillBenchmark's: sh -c "sleep 1000 & echo $!; ... [wait]", every process settled. */

#define MAX_TREE 256
#define MAX_REAPER_CHILDREN 32768

static pid_t ancestors[64]; /* this program's, parent first, up to init */
static int ancestor_count;

/* @return field (1-based, as proc(5) counts: 4 ppid, 20 num_threads) of a stat line, or -1 */
static long stat_field(const char *stat, int field) {
    const char *p = strrchr(stat, ')');
    if (p == NULL) return -1;
    p += 2; /* field 3, the state */
    for (int f = 3; f < field && p != NULL; f++) {
        p = strchr(p, ' ');
        if (p != NULL) p++;
    }
    return p == NULL ? -1 : atol(p);
}

static void find_ancestors(void) {
    char path[64], buf[1024];
    pid_t pid = getpid();
    for (ancestor_count = 0; ancestor_count < 64; ancestor_count++) {
        snprintf(path, sizeof path, "/proc/%d/stat", (int) pid);
        pid_t ppid = read_proc(path, buf, sizeof buf) < 0 ? 0 : (pid_t) stat_field(buf, 4);
        if (ppid <= 0) break;
        ancestors[ancestor_count] = pid = ppid;
    }
}

/* Appends the pids of a children file to pids[*count] (at most max). */
static void read_children(const char *path, pid_t *pids, int *count, int max) {
    static char text[MAX_REAPER_CHILDREN * 8];
    if (read_proc(path, text, sizeof text) <= 0) return;
    char *save = NULL;
    for (char *tok = strtok_r(text, " \n", &save); tok != NULL && *count < max; tok = strtok_r(NULL, " \n", &save)) {
        pids[(*count)++] = (pid_t) atoi(tok);
    }
}

/* Walks down from tree[from..*count): each one's stat, then its children file. */
static void walk_down(pid_t *tree, int from, int *count) {
    char path[96], stat[1024];
    for (int i = from; i < *count; i++) {
        snprintf(path, sizeof path, "/proc/%d/stat", (int) tree[i]);
        if (read_proc(path, stat, sizeof stat) < 0) die("a process of the tree is gone during the walk");
        if (stat_field(stat, 20) != 1) die("a multi-threaded process in the tree");
        snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int) tree[i], (int) tree[i]);
        read_children(path, tree, count, MAX_TREE);
    }
}

/* The walk: from the shell (if it is still there), then the ancestors' children in the group. @return the count */
static int list_tree(pid_t shell, int shell_alive, pid_t *tree) {
    static pid_t others[MAX_REAPER_CHILDREN];
    char path[96];
    int count = 0;
    if (shell_alive) tree[count++] = shell;
    walk_down(tree, 0, &count);
    for (int a = 0; a < ancestor_count; a++) {
        int n = 0;
        snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int) ancestors[a], (int) ancestors[a]);
        read_children(path, others, &n, MAX_REAPER_CHILDREN);
        for (int k = 0; k < n; k++) {
            if (getpgid(others[k]) == shell && count < MAX_TREE) { /* an orphan of the tree */
                tree[count++] = others[k];
                walk_down(tree, count - 1, &count);
            }
        }
    }
    return count;
}

/* One pidfd per process (ESRCH: reaped already, so exited); polled once, or until all have
 * exited. @return how many have exited */
static int exits_among(const pid_t *tree, int count, int until_all) {
    struct pollfd fds[MAX_TREE];
    int open_count = 0, exited = 0;
    for (int i = 0; i < count; i++) {
        int fd = (int) syscall(SYS_pidfd_open, tree[i], 0);
        if (fd < 0 && errno != ESRCH) die("pidfd_open");
        if (fd < 0) {
            exited++;
        } else {
            fds[open_count].fd = fd;
            fds[open_count++].events = POLLIN;
        }
    }
    for (int pending = open_count; pending > 0;) {
        int r = poll(fds, open_count, until_all ? 10000 : 0);
        if (r < 0 && errno != EINTR) die("poll");
        if (r == 0 && until_all) die("a process of the tree still runs 10 s after SIGKILL");
        for (int i = 0; i < open_count; i++) {
            if (fds[i].fd >= 0 && fds[i].revents != 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                pending--;
                exited++;
            }
        }
        if (!until_all) break;
    }
    for (int i = 0; i < open_count; i++) {
        if (fds[i].fd >= 0) close(fds[i].fd);
    }
    return exited;
}

/* Reads n lines of pids from fd. */
static void read_pids(int fd, pid_t *pids, int n) {
    char line[32];
    for (int i = 0; i < n; i++) {
        size_t len = 0;
        char c;
        while (read(fd, &c, 1) == 1 && c != '\n') {
            if (len < sizeof line - 1) line[len++] = c;
        }
        line[len] = 0;
        if ((pids[i] = (pid_t) atoi(line)) <= 0) die("read the shell's pids");
    }
}

static void kill_round(int n, int shell_exits, long iter) {
    if (n < 1 || n >= MAX_TREE) {
        fprintf(stderr, "floor: killround takes 1 to %d sleeps\n", MAX_TREE - 1);
        exit(2);
    }
    char *script = calloc((size_t) n + 1, 32);
    for (int i = 0; i < n; i++) strcat(script, "sleep 1000 & echo $!; ");
    strcat(script, shell_exits ? "exit 0" : "wait");
    char *const shell[] = {"sh", "-c", script, NULL};
    pid_t sleeps[MAX_TREE], tree[MAX_TREE];
    char loadavg[128];
    /* Held open and read again from offset 0, as procgroup's PidCursor does for the JVM's life. */
    int loadavg_fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
    if (loadavg_fd < 0) die("open /proc/loadavg");
    find_ancestors();
    double spent = 0;
    for (long it = 0; it < iter; it++) {
        int fds[3];
        pid_t sh = spawn(shell, 0, 1, fds);
        read_pids(fds[1], sleeps, n);
        for (int i = 0; i < n; i++) await_asleep(sleeps[i], "sleep");
        if (shell_exits) {
            reap(sh); /* the sleeps are orphans now */
        } else {
            await_asleep(sh, "sh");
        }
        double start = now_us();
        if (pread(loadavg_fd, loadavg, sizeof loadavg - 1, 0) <= 0) die("pread /proc/loadavg");
        int count = list_tree(sh, !shell_exits, tree);
        if (exits_among(tree, count, 0) != 0) die("a process of the tree exited during the walk");
        if (killpg(sh, SIGKILL) != 0) die("killpg");
        if (!shell_exits) reap(sh);
        exits_among(tree, count, 1);
        if (pread(loadavg_fd, loadavg, sizeof loadavg - 1, 0) <= 0) die("pread /proc/loadavg");
        spent += now_us() - start;
        if (count != n + !shell_exits) {
            fprintf(stderr, "floor: the kill round listed %d processes, not %d\n", count, n + !shell_exits);
            exit(1);
        }
        for (int i = 0; i < 3; i++) close(fds[i]);
    }
    free(script);
    close(loadavg_fd);
    const char *reaper = getenv("PROCGROUP_BENCH_REAPER"); /* set by Floor.java when run under "floor reaper" */
    printf("TreeKillBenchmark n=%d,reaper=%s,shell=%s %.2f us/op cKillRound\n", n,
           reaper != NULL && strcmp(reaper, "prompt") == 0 ? "prompt" : "host",
           shell_exits ? "exits" : "waits", spent / iter);
}

struct loop { long millis; long ops; };

static void *spawn_loop(void *arg) {
    struct loop *l = arg;
    double end = now_us() + l->millis * 1e3;
    while (now_us() < end) {
        spawn_wait_true();
        l->ops++;
    }
    return NULL;
}

static long arg(int argc, char **argv, int i) {
    if (i >= argc) {
        fprintf(stderr, "floor: missing argument %d\n", i);
        exit(2);
    }
    return atol(argv[i]);
}

static volatile pid_t reaped_child;

/* What the reaper is sent (JMH ending a fork, a ^C) goes on to its child. */
static void forward(int sig) {
    if (reaped_child > 0) kill(reaped_child, sig);
}

static int reaper(char **argv) {
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) die("prctl(PR_SET_CHILD_SUBREAPER)");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    pid_t child = fork();
    if (child < 0) die("fork");
    if (child == 0) {
        execvp(argv[0], argv);
        fprintf(stderr, "floor: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    reaped_child = child;
    for (;;) {
        int status, code;
        pid_t p = wait(&status); /* every orphan adopted below, as soon as it is a zombie */
        if (p < 0) {
            if (errno == EINTR) continue;
            die("wait");
        }
        if (p == child) {
            /* As tini does: done when the child is. What is left below is re-parented on up. */
            code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            while (waitpid(-1, &status, WNOHANG) > 0) {
            }
            return code;
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: floor spawn|start|kill|treekill|tree|killround|pipe|threads|reaper ARGS\n");
        return 2;
    }
    const char *mode = argv[1];
    if (strcmp(mode, "reaper") == 0) {
        if (argc < 3) {
            fprintf(stderr, "usage: floor reaper PROGRAM [ARGS...]\n");
            return 2;
        }
        return reaper(argv + 2);
    }
    if (strcmp(mode, "spawn") == 0) {
        long iter = arg(argc, argv, 2);
        double start = now_us();
        for (long i = 0; i < iter; i++) spawn_wait_true();
        printf("SpawnBenchmark - %.2f us/op\n", (now_us() - start) / iter);
    } else if (strcmp(mode, "start") == 0) {
        long iter = arg(argc, argv, 2);
        double spent = 0;
        for (long i = 0; i < iter; i++) {
            int fds[3];
            double start = now_us();
            pid_t pid = spawn(TRUE_ARGV, 0, 1, fds);
            spent += now_us() - start;
            reap(pid);
            for (int k = 0; k < 3; k++) close(fds[k]);
        }
        printf("StartBenchmark - %.2f us/op\n", spent / iter);
    } else if (strcmp(mode, "kill") == 0) {
        long iter = arg(argc, argv, 2);
        double spent = 0;
        for (long i = 0; i < iter; i++) {
            pid_t pid = spawn(SLEEP, 0, 0, NULL);
            await_asleep(pid, "sleep"); /* as KillBenchmark's sleeps: settled, not racing its start-up */
            double start = now_us();
            if (kill(pid, SIGKILL) != 0) die("kill");
            reap(pid);
            spent += now_us() - start;
        }
        printf("KillBenchmark - %.2f us/op\n", spent / iter);
    } else if (strcmp(mode, "treekill") == 0 || strcmp(mode, "tree") == 0) {
        int n = (int) arg(argc, argv, 2);
        long iter = arg(argc, argv, 3);
        int listing = strcmp(mode, "tree") == 0;
        pid_t *pids = calloc(n + 1, sizeof *pids);
        double spent = 0;
        for (long i = 0; i < iter; i++) {
            spawn_sleeps(pids, n + 1);
            double start = now_us();
            if (listing) {
                if (count_tree(getpid()) != n + 2) {
                    fprintf(stderr, "floor: tree listing found the wrong count\n");
                    return 1;
                }
            } else {
                if (killpg(pids[0], SIGKILL) != 0) die("killpg");
                for (int k = 0; k <= n; k++) reap(pids[k]);
            }
            spent += now_us() - start;
            if (listing) {
                killpg(pids[0], SIGKILL);
                for (int k = 0; k <= n; k++) reap(pids[k]);
            }
        }
        printf("%s %s=%d %.2f us/op\n", listing ? "TreeListBenchmark" : "TreeKillBenchmark", listing ? "sleeps" : "n", n, spent / iter);
        free(pids);
    } else if (strcmp(mode, "killround") == 0) {
        if (argc < 5 || (strcmp(argv[3], "waits") != 0 && strcmp(argv[3], "exits") != 0)) {
            fprintf(stderr, "usage: floor killround N waits|exits ITER\n");
            return 2;
        }
        kill_round((int) arg(argc, argv, 2), strcmp(argv[3], "exits") == 0, arg(argc, argv, 4));
    } else if (strcmp(mode, "pipe") == 0) {
        long mb = arg(argc, argv, 2);
        long iter = arg(argc, argv, 3);
        char count[32];
        snprintf(count, sizeof count, "count=%ld", mb);
        char *const dd[] = {"dd", "if=/dev/zero", "bs=1M", count, "status=none", NULL};
        static char buf[65536];
        double start = now_us();
        for (long i = 0; i < iter; i++) {
            int fds[3];
            pid_t pid = spawn(dd, 0, 1, fds);
            long total = 0;
            ssize_t got;
            while ((got = read(fds[1], buf, sizeof buf)) != 0) {
                if (got < 0 && errno != EINTR) die("read");
                if (got > 0) total += got;
            }
            reap(pid);
            for (int k = 0; k < 3; k++) close(fds[k]);
            if (total != mb << 20) {
                fprintf(stderr, "floor: read %ld bytes, not %ld\n", total, mb << 20);
                return 1;
            }
        }
        printf("PipeBenchmark - %.3f ops/s\n", iter / ((now_us() - start) / 1e6));
    } else if (strcmp(mode, "threads") == 0) {
        int threads = (int) arg(argc, argv, 2);
        long millis = arg(argc, argv, 3);
        pthread_t *t = calloc(threads, sizeof *t);
        struct loop *loops = calloc(threads, sizeof *loops);
        double start = now_us();
        for (int i = 0; i < threads; i++) {
            loops[i].millis = millis;
            if (pthread_create(&t[i], NULL, spawn_loop, &loops[i]) != 0) die("pthread_create");
        }
        long ops = 0;
        for (int i = 0; i < threads; i++) {
            pthread_join(t[i], NULL);
            ops += loops[i].ops;
        }
        printf("ThroughputBenchmark - %.1f ops/s\n", ops / ((now_us() - start) / 1e6));
        free(t);
        free(loops);
    } else {
        fprintf(stderr, "floor: unknown mode %s\n", mode);
        return 2;
    }
    return 0;
}
