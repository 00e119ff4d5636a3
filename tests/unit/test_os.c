/*
 * Outputs (src/os.c): a symbolic link followed and its target replaced,
 * the link kept; a FIFO written in place; the mode of a replaced file
 * kept; and the temporary file removed when a fatal signal ends the
 * process (issue 10, defects 2 and 3).
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "testlib.h"

/* Whether the directory holds a ".stimg-" temporary file. */
static bool temp_left(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;

	assert_non_null(d);
	while ((e = readdir(d)))
		found |= !strncmp(e->d_name, ".stimg-", 7);
	closedir(d);
	return found;
}

/* Writes text to path through a stimg_output. */
static int output(const char *path, const char *text, struct stimg_diag *d)
{
	struct stimg_output o;
	int ret;

	memset(d, 0, sizeof(*d));
	ret = stimg_output_open(&o, path, d);
	if (ret)
		return ret;
	fputs(text, o.f);
	return stimg_output_commit(&o, d);
}

static void assert_file(const char *path, const char *text)
{
	char *got = tl_slurp(path, NULL);

	assert_string_equal(got, text);
	free(got);
}

/*
 * Links are followed to the file they name, which is replaced; the links
 * stay: a chain, a relative link (from its own directory), a dangling one
 * (its target is created).
 */
static void test_links(void **state)
{
	struct stimg_diag d;
	struct stat st;
	char buf[64];

	(void)state;
	assert_int_equal(mkdir("sub", 0777), 0);
	tl_write_text("sub/real.hex", "old");
	assert_int_equal(chmod("sub/real.hex", 0640), 0);
	assert_int_equal(symlink("real.hex", "sub/link1"), 0);	/* relative */
	assert_int_equal(symlink("sub/link1", "link2"), 0);
	assert_int_equal(output("link2", "new", &d), STIMG_OK);
	assert_file("sub/real.hex", "new");
	assert_int_equal(lstat("link2", &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(lstat("sub/link1", &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(stat("sub/real.hex", &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_false(temp_left("."));
	assert_false(temp_left("sub"));

	assert_int_equal(symlink("sub/new.hex", "dangling"), 0);
	assert_int_equal(output("dangling", "created", &d), STIMG_OK);
	assert_file("sub/new.hex", "created");
	assert_int_equal(readlink("dangling", buf, sizeof(buf)), 11);

	/* a loop: an error, nothing written */
	assert_int_equal(symlink("loop2", "loop1"), 0);
	assert_int_equal(symlink("loop1", "loop2"), 0);
	assert_int_equal(output("loop1", "x", &d), STIMG_EIO);
	assert_string_equal(d.msg, "cannot write: Too many levels of symbolic "
			    "links");
	assert_false(temp_left("."));
	/* the group's teardown removes files, not directories */
	assert_int_equal(unlink("sub/real.hex") | unlink("sub/new.hex") |
			 unlink("sub/link1") | rmdir("sub"), 0);
}

/* A FIFO is written in place: a reader gets the bytes, it stays a FIFO. */
static void test_fifo(void **state)
{
	struct stimg_diag d;
	struct stat st;
	char buf[16] = "";
	pid_t pid;
	int status, fd;

	(void)state;
	assert_int_equal(mkfifo("fifo", 0600), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid)
		_exit(output("fifo", "through", &d) ? 1 : 0);
	fd = open("fifo", O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf) - 1), 7);
	close(fd);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_string_equal(buf, "through");
	assert_int_equal(lstat("fifo", &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_false(temp_left("."));
}

/*
 * A fatal signal while an output is open removes its temporary file and
 * ends the process by that signal; an existing file of the output's name
 * is untouched. A signal the process ignores stays ignored.
 */
static void test_signals(void **state)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	size_t i;

	(void)state;
	tl_write_text("sig.hex", "before");
	for (i = 0; i < ARRAY_SIZE(sigs); i++) {
		struct stimg_output o;
		struct stimg_diag d;
		int status;
		pid_t pid = fork();

		assert_true(pid >= 0);
		if (!pid) {
			memset(&d, 0, sizeof(d));
			if (stimg_output_open(&o, "sig.hex", &d) || !o.tmp ||
			    access(o.tmp, F_OK))
				_exit(3);
			fputs("partial", o.f);
			fflush(o.f);
			raise(sigs[i]);
			_exit(4);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status));
		assert_int_equal(WTERMSIG(status), sigs[i]);
		assert_false(temp_left("."));
		assert_file("sig.hex", "before");
	}

	/* SIGHUP ignored (nohup): the output goes on and is committed */
	{
		int status;
		pid_t pid = fork();

		assert_true(pid >= 0);
		if (!pid) {
			struct stimg_output o;
			struct stimg_diag d;

			signal(SIGHUP, SIG_IGN);
			memset(&d, 0, sizeof(d));
			if (stimg_output_open(&o, "sig.hex", &d))
				_exit(3);
			fputs("after", o.f);
			raise(SIGHUP);
			_exit(stimg_output_commit(&o, &d) ? 5 : 0);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		assert_file("sig.hex", "after");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_fifo),
		cmocka_unit_test(test_signals),
	};

	return cmocka_run_group_tests(tests, tl_setup_dir, tl_teardown_dir);
}
