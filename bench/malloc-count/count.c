/*
 * LD_PRELOAD malloc counter for `bench/malloc-count.sh`: counts calls to malloc, calloc,
 * realloc, posix_memalign, aligned_alloc and memalign in the whole process, and writes the
 * running total to the file named by MALLOC_COUNT_FILE whenever the process gets SIGUSR2.
 * The script reads the total before and after a burst of identical queries, so the difference
 * over the number of queries is the allocations per warm query of the whole server: transport,
 * handler, metrics, everything.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static _Atomic unsigned long long calls;

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static int (*real_posix_memalign)(void **, size_t, size_t);
static void *(*real_aligned_alloc)(size_t, size_t);
static void *(*real_memalign)(size_t, size_t);

/* dlsym may call calloc before real_calloc is known: serve that from a static buffer. */
static char bootstrap[4096];
static size_t bootstrap_used;

static void report(int sig)
{
    (void)sig;
    const char *path = getenv("MALLOC_COUNT_FILE");
    if (!path) return;
    char text[32];
    int n = 0;
    unsigned long long v = atomic_load(&calls);
    char digits[24];
    int d = 0;
    do { digits[d++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (d) text[n++] = digits[--d];
    text[n++] = '\n';
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) { (void)!write(fd, text, (size_t)n); close(fd); }
}

__attribute__((constructor)) static void init(void)
{
    real_malloc = dlsym(RTLD_NEXT, "malloc");
    real_calloc = dlsym(RTLD_NEXT, "calloc");
    real_realloc = dlsym(RTLD_NEXT, "realloc");
    real_posix_memalign = dlsym(RTLD_NEXT, "posix_memalign");
    real_aligned_alloc = dlsym(RTLD_NEXT, "aligned_alloc");
    real_memalign = dlsym(RTLD_NEXT, "memalign");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = report;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR2, &sa, NULL);
}

void *malloc(size_t n) { atomic_fetch_add(&calls, 1); if (!real_malloc) init(); return real_malloc(n); }
void *calloc(size_t a, size_t b)
{
    if (!real_calloc) {
        size_t n = (a * b + 15) & ~(size_t)15;
        if (bootstrap_used + n > sizeof bootstrap) return NULL;
        void *p = bootstrap + bootstrap_used;
        bootstrap_used += n;
        return p;
    }
    atomic_fetch_add(&calls, 1);
    return real_calloc(a, b);
}
void *realloc(void *p, size_t n) { atomic_fetch_add(&calls, 1); if (!real_realloc) init(); return real_realloc(p, n); }
int posix_memalign(void **p, size_t a, size_t n) { atomic_fetch_add(&calls, 1); if (!real_posix_memalign) init(); return real_posix_memalign(p, a, n); }
void *aligned_alloc(size_t a, size_t n) { atomic_fetch_add(&calls, 1); if (!real_aligned_alloc) init(); return real_aligned_alloc(a, n); }
void *memalign(size_t a, size_t n) { atomic_fetch_add(&calls, 1); if (!real_memalign) init(); return real_memalign(a, n); }
void free(void *p)
{
    static void (*real_free)(void *);
    if ((char *)p >= bootstrap && (char *)p < bootstrap + sizeof bootstrap) return;
    if (!real_free) real_free = dlsym(RTLD_NEXT, "free");
    real_free(p);
}
