/*
 * Every call the library makes to the operating system, in one file for a
 * port: opening and reading inputs, whether an input is a regular file,
 * and outputs written as git's lockfile.c writes them: symbolic links
 * resolved, the target replaced atomically by a temporary file beside it,
 * a target that is not a regular file written in place, and the temporary
 * file removed on error and on SIGINT, SIGTERM, SIGHUP and SIGPIPE.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fmt/fmt.h"

int os_open_input(const char *path, bool *regular)
{
	struct stat st;
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC)
				   : STDIN_FILENO;

	*regular = fd >= 0 && !fstat(fd, &st) && S_ISREG(st.st_mode);
	return fd;
}

bool os_regular_file(const char *path)
{
	struct stat st;

	return strcmp(path, "-") && !stat(path, &st) && S_ISREG(st.st_mode);
}

long os_read(int fd, void *buf, size_t n)
{
	ssize_t r;

	do
		r = read(fd, buf, n);
	while (r < 0 && errno == EINTR);
	return (long)r;
}

long os_pread(int fd, void *buf, size_t n, uint64_t off)
{
	ssize_t r;

	do
		r = pread(fd, buf, n, (off_t)off);
	while (r < 0 && errno == EINTR);
	return (long)r;
}

unsigned os_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
#ifdef __linux__
	cpu_set_t set;

	/* the ones this process may run on (taskset, a container's limit) */
	if (!sched_getaffinity(0, sizeof(set), &set))
		n = CPU_COUNT(&set);
#endif
	return n > 1 ? (unsigned)n : 1;
}

void *os_map_copy(int fd, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* The size of a large page (x86-64, and AArch64 with 4 KiB pages) */
#define LARGE_PAGE (2u << 20)

void *os_reserve(size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t n = len ? (len - 1) / page * page + page : page;
	size_t head = 0, pad = LARGE_PAGE;
	uint8_t *p;

	/* a start on a large page's boundary, or its first pages are small */
	if (n > SIZE_MAX - pad)
		pad = 0;
	p = mmap(NULL, n + pad, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	if (pad) {
		head = (LARGE_PAGE - (uintptr_t)p % LARGE_PAGE) % LARGE_PAGE;
		if (head)
			munmap(p, head);
		if (pad > head)
			munmap(p + head + n, pad - head);
	}
#ifdef MADV_HUGEPAGE
	/* a 4 KiB page costs a fault: 2 MiB ones make 8 MiB ten times faster */
	madvise(p + head, n, MADV_HUGEPAGE);
#endif
	return p + head;
}

void os_unmap(void *p, size_t len)
{
	if (p)
		munmap(p, len);
}

struct both {
	void (*fn)(void *);
	void *arg;
};

static void *both_main(void *arg)
{
	struct both *b = arg;
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	b->fn(b->arg);
	return NULL;
}

bool os_both(void (*fn)(void *), void *a, void *b)
{
	struct both other = { fn, b };
	pthread_t th;

	if (pthread_create(&th, NULL, both_main, &other)) {
		fn(a);
		fn(b);
		return false;
	}
	fn(a);
	pthread_join(th, NULL);
	return true;
}

/*
 * A read(2) done by a thread of its own, so that the caller decodes one
 * chunk while the next is read. The thread takes no signals: they stay
 * the main thread's, whose handlers remove temporary files.
 */
struct os_async {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	enum { IDLE, ASKED, DONE, QUIT } state;
	int fd;
	void *buf;
	size_t n;
	long result;
	int err;
};

static void *async_main(void *arg)
{
	struct os_async *a = arg;
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	pthread_mutex_lock(&a->lock);
	for (;;) {
		while (a->state != ASKED && a->state != QUIT)
			pthread_cond_wait(&a->cond, &a->lock);
		if (a->state == QUIT)
			break;
		pthread_mutex_unlock(&a->lock);
		a->result = os_read(a->fd, a->buf, a->n);
		a->err = errno;
		pthread_mutex_lock(&a->lock);
		a->state = DONE;
		pthread_cond_broadcast(&a->cond);
	}
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

struct os_async *os_async_new(void)
{
	struct os_async *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->cond, NULL);
	if (pthread_create(&a->thread, NULL, async_main, a)) {
		pthread_mutex_destroy(&a->lock);
		pthread_cond_destroy(&a->cond);
		free(a);
		return NULL;
	}
	return a;
}

void os_async_read(struct os_async *a, int fd, void *buf, size_t n)
{
	pthread_mutex_lock(&a->lock);
	a->fd = fd;
	a->buf = buf;
	a->n = n;
	a->state = ASKED;
	pthread_cond_broadcast(&a->cond);
	pthread_mutex_unlock(&a->lock);
}

long os_async_wait(struct os_async *a)
{
	long r;

	pthread_mutex_lock(&a->lock);
	while (a->state != DONE)
		pthread_cond_wait(&a->cond, &a->lock);
	a->state = IDLE;
	r = a->result;
	errno = a->err;
	pthread_mutex_unlock(&a->lock);
	return r;
}

void os_async_free(struct os_async *a)
{
	if (!a)
		return;
	pthread_mutex_lock(&a->lock);
	while (a->state == ASKED)	/* a read under way finishes first */
		pthread_cond_wait(&a->cond, &a->lock);
	a->state = QUIT;
	pthread_cond_broadcast(&a->cond);
	pthread_mutex_unlock(&a->lock);
	pthread_join(a->thread, NULL);
	pthread_mutex_destroy(&a->lock);
	pthread_cond_destroy(&a->cond);
	free(a);
}

unsigned os_mode(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : (unsigned)(st.st_mode & 07777);
}

int os_private(FILE *f)
{
	return fchmod(fileno(f), 0600) ? -1 : 0;
}

void os_close_input(int fd)
{
	if (fd > STDIN_FILENO)
		close(fd);
}

uint64_t os_offset(int fd)
{
	off_t at = lseek(fd, 0, SEEK_CUR);

	return at > 0 ? (uint64_t)at : 0;
}

uint64_t os_bytes_left(int fd)
{
	struct stat st;
	off_t at;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return 0;
	at = lseek(fd, 0, SEEK_CUR);
	return at >= 0 && st.st_size > at ? (uint64_t)(st.st_size - at) : 0;
}

/*
 * Temporary files that a fatal signal removes: their names, prepared
 * before the files exist, so that the handler only calls unlink. At most
 * one output is open at a time (SPEC 5); a few slots spare.
 */
#define MAX_TEMPS 4

static const char *volatile temps[MAX_TEMPS];
static const int fatal[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
static struct sigaction old_action[ARRAY_SIZE(fatal)];
static bool handlers_set;

static void on_fatal_signal(int sig)
{
	size_t i;

	for (i = 0; i < MAX_TEMPS; i++)
		if (temps[i])
			unlink(temps[i]);
	/* what was there before (the default: end the process), again */
	for (i = 0; i < ARRAY_SIZE(fatal); i++)
		if (fatal[i] == sig)
			sigaction(sig, &old_action[i], NULL);
	raise(sig);
}

/* Blocks (or unblocks, with *old) the fatal signals around a change. */
static void block_fatal(sigset_t *old, bool block)
{
	sigset_t set;
	size_t i;

	if (!block) {
		sigprocmask(SIG_SETMASK, old, NULL);
		return;
	}
	sigemptyset(&set);
	for (i = 0; i < ARRAY_SIZE(fatal); i++)
		sigaddset(&set, fatal[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

/* Installs the handler once; a signal the process ignores stays ignored. */
static void set_handlers(void)
{
	struct sigaction sa;
	size_t i;

	if (handlers_set)
		return;
	handlers_set = true;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(fatal); i++) {
		sigaction(fatal[i], NULL, &old_action[i]);
		if (old_action[i].sa_handler != SIG_IGN)
			sigaction(fatal[i], &sa, NULL);
	}
}

/* A slot for name, or false when all are taken; signals blocked. */
static bool temp_register(const char *name)
{
	size_t i;

	for (i = 0; i < MAX_TEMPS; i++) {
		if (!temps[i]) {
			temps[i] = name;
			return true;
		}
	}
	return false;
}

static void temp_forget(const char *name)
{
	size_t i;

	for (i = 0; i < MAX_TEMPS; i++)
		if (temps[i] == name)
			temps[i] = NULL;
}

/*
 * path with its symbolic links followed (a relative link from its own
 * directory), malloc'd; NULL with errno set (ELOOP after 40 links).
 */
static char *resolve_links(const char *path)
{
	char *cur = strdup(path), *link = malloc(PATH_MAX);
	struct stat st;
	int hops;

	for (hops = 0; cur && link && hops < 40; hops++) {
		char *next, *slash;
		ssize_t n;

		if (lstat(cur, &st) || !S_ISLNK(st.st_mode)) {
			free(link);
			return cur;
		}
		n = readlink(cur, link, PATH_MAX - 1);
		if (n < 0)
			break;
		link[n] = '\0';
		slash = strrchr(cur, '/');
		if (link[0] == '/' || !slash)
			next = strdup(link);
		else if (asprintf(&next, "%.*s/%s", (int)(slash - cur), cur,
				  link) < 0)
			next = NULL;
		free(cur);
		cur = next;
	}
	if (cur && hops == 40)
		errno = ELOOP;
	free(link);
	free(cur);
	return NULL;
}

/*
 * Creates a new temporary file "DIR/.stimg-XXXXXX" for target (dir taken
 * from it) with mode 0666 less the umask, registered for removal by the
 * fatal signals: *tmp receives its name, malloc'd. Returns the descriptor,
 * or -1 with errno set.
 */
static int create_temp(const char *target, char **tmp)
{
	static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "abcdefghijklmnopqrstuvwxyz0123456789";
	static unsigned long seed;
	const char *slash = strrchr(target, '/');
	int dirlen = slash ? (int)(slash - target) + 1 : 0, fd = -1, tries, k;
	sigset_t old;
	char *name;

	if (asprintf(&name, "%.*s.stimg-XXXXXX", dirlen, target) < 0)
		return -1;
	if (!seed)
		seed = (unsigned long)time(NULL) ^ (unsigned long)getpid() << 16;
	set_handlers();
	for (tries = 0; tries < 100 && fd < 0; tries++) {
		unsigned long v;

		seed = seed * 6364136223846793005ul + 1442695040888963407ul;
		v = seed >> 16;
		for (k = 0; k < 6; k++, v /= sizeof(chars) - 1)
			name[strlen(name) - 6 + k] = chars[v % (sizeof(chars) - 1)];
		block_fatal(&old, true);
		fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 && !temp_register(name)) {
			unlink(name);
			close(fd);
			fd = -1;
			errno = EMFILE;
			block_fatal(&old, false);
			break;
		}
		block_fatal(&old, false);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		free(name);
		return -1;
	}
	*tmp = name;
	return fd;
}

bool stimg_output_replaces(const char *path)
{
	struct stat st;

	return strcmp(path, "-") && (stat(path, &st) || S_ISREG(st.st_mode));
}

/* The size of an output's stdio buffer (stimg_output_open). */
#define OUTPUT_BUF (1u << 20)

int stimg_output_open(struct stimg_output *out, const char *path,
		      struct stimg_diag *d)
{
	struct stat st;
	int fd = -1, ret = STIMG_OK;

	memset(out, 0, sizeof(*out));
	if (!strcmp(path, "-")) {
		out->f = stdout;
		return STIMG_OK;
	}
	/* the kernel follows the links, /dev/stdout and /proc/self/fd/N too */
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		out->path = strdup(path);
		if (!out->path) {
			ret = STIMG_ENOMEM;
			goto out;
		}
		fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (fd < 0) {
			ret = diag_set(d, path, 0, STIMG_EIO, "cannot open for "
				       "writing: %s", strerror(errno));
			goto out;
		}
	} else {
		out->path = resolve_links(path);
		if (!out->path) {
			ret = errno == ENOMEM ? STIMG_ENOMEM :
			      diag_set(d, path, 0, STIMG_EIO, "cannot write: %s",
				       strerror(errno));
			goto out;
		}
		fd = create_temp(out->path, &out->tmp);
		if (fd < 0) {
			const char *slash = strrchr(out->path, '/');

			ret = diag_set(d, path, 0, STIMG_EIO, "cannot create a "
				       "file in '%.*s': %s",
				       slash && slash > out->path ?
				       (int)(slash - out->path) : 1,
				       slash ? out->path : ".", strerror(errno));
			goto out;
		}
		/* replacing a file: keep its mode */
		if (!stat(out->path, &st) && fchmod(fd, st.st_mode & 07777)) {
			ret = diag_set(d, path, 0, STIMG_EIO, "cannot write: %s",
				       strerror(errno));
			goto out;
		}
	}
	out->f = fdopen(fd, "wb");
	if (!out->f) {
		ret = diag_set(d, path, 0, STIMG_EIO, "cannot write: %s",
			       strerror(errno));
		goto out;
	}
	fd = -1;
	/*
	 * Writes of OUTPUT_BUF bytes, not stdio's 4 KiB: a 16 MiB BIN 12%
	 * faster end to end. Its pages are touched only as they fill.
	 */
	out->buf = malloc(OUTPUT_BUF);
	if (out->buf)
		setvbuf(out->f, out->buf, _IOFBF, OUTPUT_BUF);
out:
	if (fd >= 0)
		close(fd);
	if (ret)
		stimg_output_abort(out);
	return ret;
}

int stimg_output_commit(struct stimg_output *out, struct stimg_diag *d)
{
	const char *name = out->path ? out->path : "<stdout>";
	sigset_t old;
	int ret = STIMG_OK, failed;

	if (out->f == stdout) {
		if (fflush(out->f) || ferror(out->f))
			ret = diag_set(d, name, 0, STIMG_EIO, "cannot write: %s",
				       strerror(errno));
		memset(out, 0, sizeof(*out));
		return ret;
	}
	failed = ferror(out->f);
	failed |= fclose(out->f);
	out->f = NULL;
	if (failed) {
		ret = diag_set(d, name, 0, STIMG_EIO, "cannot write: %s",
			       strerror(errno ? errno : EIO));
		stimg_output_abort(out);
		return ret;
	}
	if (out->tmp) {
		block_fatal(&old, true);
		if (rename(out->tmp, out->path)) {
			ret = diag_set(d, name, 0, STIMG_EIO, "cannot write: %s",
				       strerror(errno));
		} else {
			temp_forget(out->tmp);
			free(out->tmp);
			out->tmp = NULL;
		}
		block_fatal(&old, false);
	}
	stimg_output_abort(out);
	return ret;
}

void stimg_output_abort(struct stimg_output *out)
{
	sigset_t old;

	if (out->f && out->f != stdout)
		fclose(out->f);
	if (out->tmp) {
		block_fatal(&old, true);
		unlink(out->tmp);
		temp_forget(out->tmp);
		block_fatal(&old, false);
	}
	free(out->tmp);
	free(out->path);
	free(out->buf);
	memset(out, 0, sizeof(*out));
}
