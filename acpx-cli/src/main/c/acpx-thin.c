/*
 * The thin client's fast path, native (bin/acpx builds it with cc when one is installed, see
 * bin/acpx-train): the same wire and the same behaviour as dev.acpx.thin.ThinClient once a daemon
 * of this build has accepted the command, without a JVM start (about 100 ms on a 2-CPU machine).
 * Everything else -- no daemon yet, a daemon of another build, one that does not answer, a home it
 * cannot name -- is handed to the Java thin client by exec, before a byte of stdin is read.
 *
 * usage: acpx-thin-native BUILD_ID N JAVA_ARGV[N] ACPX_ARGS...
 *   JAVA_ARGV: the command that runs the Java thin client, to which ACPX_ARGS are appended.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* As ThinClient: the first answer within 2 s; a stopped daemon for 5 s, or a silent one for 20 s. */
#define ANSWER_MS 2000
#define STOPPED_MS 5000
#define SILENT_MS 20000
#define MAX_FRAME (1024 * 1024)

static int sock = -1;
static char **java_argv;
static int java_argc;
static char **acpx_args;
static int acpx_argc;
static int signal_pipe[2];

/* Runs the Java thin client with the same arguments; `silent` tells it the daemon did not answer. */
static void hand_over(int silent) {
    char **v = calloc((size_t)java_argc + acpx_argc + 2, sizeof(char *));
    int k = 0;
    if (!v) {
        perror("acpx");
        exit(1);
    }
    for (int i = 0; i < java_argc; i++) v[k++] = java_argv[i];
    if (silent) v[k++] = "--acpx-daemon-silent";
    for (int i = 0; i < acpx_argc; i++) v[k++] = acpx_args[i];
    if (sock >= 0) close(sock);
    execv(v[0], v);
    fprintf(stderr, "acpx: cannot start %s: %s\n", v[0], strerror(errno));
    exit(1);
}

static long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

struct buf {
    unsigned char *p;
    size_t n, cap;
};

static void put(struct buf *b, const void *d, size_t n) {
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 8192;
        while (cap < b->n + n) cap *= 2;
        unsigned char *p = realloc(b->p, cap);
        if (!p) {
            perror("acpx");
            exit(1);
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, d, n);
    b->n += n;
}

static void put_u32(struct buf *b, uint32_t v) {
    unsigned char x[4] = {v >> 24, v >> 16, v >> 8, v};
    put(b, x, 4);
}

static void put_str(struct buf *b, const char *s) {
    size_t n = strlen(s);
    put_u32(b, (uint32_t)n);
    put(b, s, n);
}

static uint32_t get_u32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int write_all(int fd, const void *d, size_t n) {
    const char *p = d;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int send_frame(char type, const void *payload, size_t n) {
    unsigned char h[5] = {(unsigned char)type, n >> 24, n >> 16, n >> 8, n};
    struct buf b = {0};
    put(&b, h, 5);
    put(&b, payload, n);
    int r = write_all(sock, b.p, b.n);
    free(b.p);
    return r;
}

/* "1" when the descriptor is a terminal, read from /proc as dev.acpx.thin.Terminals does. */
static const char *terminal(int fd) {
    char path[32], target[256];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n < 0) return "0";
    target[n] = 0;
    return strncmp(target, "/dev/pts/", 9) == 0 || strncmp(target, "/dev/tty", 8) == 0
            || strcmp(target, "/dev/console") == 0 ? "1" : "0";
}

/* Whether the process is stopped (state T or t in /proc/PID/stat). */
static int stopped(long pid) {
    char path[64], stat[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, stat, sizeof stat - 1);
    close(fd);
    if (n <= 0) return 0;
    stat[n] = 0;
    char *close_paren = strrchr(stat, ')');
    return close_paren && close_paren[1] == ' ' && (close_paren[2] == 'T' || close_paren[2] == 't');
}

static void on_signal(int sig) {
    int saved = errno;
    unsigned char b = (unsigned char)sig;
    (void)!write(signal_pipe[1], &b, 1);
    errno = saved;
}

static void daemon_gone(long daemon) {
    fprintf(stderr, "acpx: the acpx daemon %ld exited while running this command; see"
                    " ~/.acpx/daemon/daemon.log (ACPX_DAEMON=0 runs commands without it)\n", daemon);
    exit(1);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "acpx-thin-native: run it through bin/acpx\n");
        return 2;
    }
    java_argc = atoi(argv[2]);
    if (java_argc < 1 || 3 + java_argc > argc) {
        fprintf(stderr, "acpx-thin-native: run it through bin/acpx\n");
        return 2;
    }
    java_argv = argv + 3;
    acpx_args = argv + 3 + java_argc;
    acpx_argc = argc - 3 - java_argc;

    /* The daemon's socket in $HOME/.acpx; anything unusual is the Java client's to judge. */
    const char *home = getenv("HOME");
    if (!home || home[0] != '/') hand_over(0);
    char path[4096];
    int len = snprintf(path, sizeof path, "%s/.acpx/daemon/daemon.sock", home);
    if (len < 0 || len > 107 || strstr(path, "/./") || strstr(path, "/../") || strstr(path, "//")) hand_over(0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    memcpy(addr.sun_path, path, (size_t)len + 1);
    sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof addr) != 0) hand_over(0);

    /* The hello, field for field as ThinClient.hello. */
    setlocale(LC_CTYPE, "");
    const char *codeset = nl_langinfo(CODESET);
    if (!codeset || !*codeset) codeset = "UTF-8";
    const char *build = argv[1];
    char *override = getenv("ACPX_TEST_BUILD_ID");
    char stripped[256];
    if (override) {
        while (*override == ' ' || *override == '\t') override++;
        snprintf(stripped, sizeof stripped, "%s", override);
        for (size_t k = strlen(stripped); k > 0 && (stripped[k - 1] == ' ' || stripped[k - 1] == '\t'
                || stripped[k - 1] == '\n'); k--) stripped[k - 1] = 0;
        if (*stripped) build = stripped;
    }
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) hand_over(0);
    char terminals[4];
    snprintf(terminals, sizeof terminals, "%s%s%s", terminal(0), terminal(1), terminal(2));
    char count[16];
    struct buf hello = {0};
    put_str(&hello, "1");
    put_str(&hello, build);
    put_str(&hello, cwd);
    put_str(&hello, terminals);
    put_str(&hello, codeset);
    put_str(&hello, codeset);
    snprintf(count, sizeof count, "%d", acpx_argc);
    put_str(&hello, count);
    int quiet_interrupt = 0;
    for (int i = 0; i < acpx_argc; i++) {
        put_str(&hello, acpx_args[i]);
        if (strcmp(acpx_args[i], "--json-strict") == 0) quiet_interrupt = 1;
    }
    int envc = 0;
    for (char **e = environ; *e; e++) if (strchr(*e, '=') && **e != '=') envc++;
    snprintf(count, sizeof count, "%d", envc);
    put_str(&hello, count);
    for (char **e = environ; *e; e++) if (strchr(*e, '=') && **e != '=') put_str(&hello, *e);
    if (send_frame('H', hello.p, hello.n) != 0) hand_over(0);
    free(hello.p);

    /* The first answer: accepted, or the Java client takes over (another build, a fallback, silence). */
    struct buf in = {0};
    long deadline = now_ms() + ANSWER_MS;
    unsigned char chunk[65536];
    while (in.n < 5 || in.n < 5 + (size_t)get_u32(in.p + 1)) {
        long left = deadline - now_ms();
        if (left <= 0) hand_over(1);
        struct pollfd p = {.fd = sock, .events = POLLIN};
        int r = poll(&p, 1, (int)left);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) hand_over(r == 0);
        ssize_t n = read(sock, chunk, sizeof chunk);
        if (n <= 0) hand_over(0);
        put(&in, chunk, (size_t)n);
        if (in.n >= 5 && get_u32(in.p + 1) > MAX_FRAME) hand_over(0);
    }
    if (in.p[0] != 'A') hand_over(0);
    uint32_t first = get_u32(in.p + 1);
    char pidtext[32] = {0};
    memcpy(pidtext, in.p + 5, first < sizeof pidtext - 1 ? first : sizeof pidtext - 1);
    long daemon = atol(pidtext);
    memmove(in.p, in.p + 5 + first, in.n - 5 - first);
    in.n -= 5 + first;

    /* From here on the command is the daemon's: relay until its exit code. */
    if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) daemon_gone(daemon);
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    uint32_t asks[64];
    int ask_head = 0, ask_count = 0;
    long last_frame = now_ms(), stopped_since = 0, next_check = now_ms() + 500;
    long signal_deadline = 0;
    int signal_code = 0;
    const char *signal_name = NULL;
    for (;;) {
        /* Whole frames first. */
        while (in.n >= 5 && in.n >= 5 + (size_t)get_u32(in.p + 1)) {
            uint32_t n = get_u32(in.p + 1);
            unsigned char *payload = in.p + 5;
            last_frame = now_ms();
            switch (in.p[0]) {
                case 'K': break;
                case 'O': if (write_all(1, payload, n) != 0) daemon_gone(daemon); break;
                case 'R': if (write_all(2, payload, n) != 0) daemon_gone(daemon); break;
                case 'N':
                    if (n != 4 || ask_count == 64) daemon_gone(daemon);
                    asks[(ask_head + ask_count++) % 64] = get_u32(payload);
                    break;
                case 'X':
                    if (n != 4) daemon_gone(daemon);
                    _exit((int)get_u32(payload));
                default: daemon_gone(daemon);
            }
            memmove(in.p, in.p + 5 + n, in.n - 5 - n);
            in.n -= 5 + n;
        }
        if (in.n >= 5 && get_u32(in.p + 1) > MAX_FRAME) daemon_gone(daemon);

        struct pollfd p[3] = {{.fd = sock, .events = POLLIN}, {.fd = signal_pipe[0], .events = POLLIN},
                              {.fd = 0, .events = POLLIN}};
        int nfds = ask_count > 0 ? 3 : 2;
        int r = poll(p, (nfds_t)nfds, 500);
        if (r < 0 && errno != EINTR) daemon_gone(daemon);
        long t = now_ms();
        if (r > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t n = read(sock, chunk, sizeof chunk);
            if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) daemon_gone(daemon);
            if (n > 0) put(&in, chunk, (size_t)n);
        }
        if (r > 0 && (p[1].revents & POLLIN)) {
            unsigned char sig;
            while (read(signal_pipe[0], &sig, 1) == 1) {
                signal_name = sig == SIGINT ? "INT" : sig == SIGTERM ? "TERM" : "HUP";
                signal_code = 128 + sig;
                send_frame('S', signal_name, strlen(signal_name));
                /* A daemon that does not end the command within 2 s leaves the signal to this process. */
                signal_deadline = t + ANSWER_MS;
            }
        }
        if (r > 0 && nfds == 3 && p[2].revents) {
            uint32_t max = asks[ask_head];
            ask_head = (ask_head + 1) % 64;
            ask_count--;
            size_t want = max < 1 ? 1 : max > sizeof chunk ? sizeof chunk : max;
            ssize_t n = read(0, chunk, want);
            if (n > 0) {
                send_frame('I', chunk, (size_t)n);
            } else {
                send_frame('E', "", 0);
            }
        }
        if (signal_deadline && t >= signal_deadline) {
            if (!quiet_interrupt && strcmp(signal_name, "HUP") != 0) fprintf(stderr, "interrupted (SIG%s)\n", signal_name);
            _exit(strcmp(signal_name, "HUP") == 0 ? signal_code : 130);
        }
        if (t >= next_check) {
            next_check = t + 500;
            stopped_since = stopped(daemon) ? (stopped_since ? stopped_since : t) : 0;
            const char *why = stopped_since && t - stopped_since > STOPPED_MS ? "was stopped (SIGSTOP)"
                    : t - last_frame > SILENT_MS ? "was silent for 20 s" : NULL;
            if (why) {
                fprintf(stderr, "acpx: the acpx daemon %ld %s while running this command; it was killed with its"
                                " agents (the next command starts a new one, and its sessions reconnect)\n", daemon, why);
                kill((pid_t)daemon, SIGKILL);
                _exit(1);
            }
        }
    }
}
