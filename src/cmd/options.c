/* The option parser, --help, suggestions and completion from the tables. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "stimg/crc.h"
#include "stimg/format.h"

const struct opt opt_verbosity[] = {
	{ 'q', "quiet", NULL, "no warnings or notes", 'q', NULL },
	{ 'v', "verbose", NULL, "more notes", 'v', NULL },
	{ 'h', "help", NULL, "this help", 'h', NULL },
	OPT_END,
};

/* The help of -O and -I names the formats: format_rows_init fills it. */
static char help_O[160], help_I[160];

struct opt opt_output[] = {
	{ 'o', "output", "OUTPUT", "the output file, - for standard output",
	  'o', NULL },
	{ 'O', NULL, "FORMAT", help_O, 'O', NULL },
	OPT_END,
};

struct opt opt_iformat[] = {
	{ 'I', NULL, "FORMAT", help_I, 'I', NULL },
	OPT_END,
};

struct opt format_rows[OPT_FORMAT_MAX + 1];
static char format_help[OPT_FORMAT_MAX][160];

/*
 * The rows of every format's own options, from the format table: one row
 * per option name, its help followed by the formats that have it, as in
 * "data bytes per record, 1-255 (16); ihex, srec".
 */
void format_rows_init(void)
{
	const struct stimg_format *const *f;
	size_t nf, i, k, n = 0;

	snprintf(help_O, sizeof(help_O), "its format: %s (default:\nfrom "
		 "OUTPUT's extension)", stimg_format_names(STIMG_FORMAT_WRITE));
	snprintf(help_I, sizeof(help_I), "read the inputs as FORMAT (%s)",
		 stimg_format_names(STIMG_FORMAT_READ));
	f = stimg_formats(&nf);
	for (i = 0; i < nf; i++) {
		const struct stimg_format_option *op = f[i]->options;

		for (; op && op->name && n < OPT_FORMAT_MAX; op++) {
			for (k = 0; k < n && strcmp(format_rows[k].lng, op->name); k++)
				;
			if (k == n) {
				format_rows[n] = (struct opt){ 0, op->name, op->arg,
							       format_help[n],
							       OPT_FORMAT + (int)n,
							       NULL };
				snprintf(format_help[n], sizeof(format_help[n]),
					 "%s output: %s", f[i]->name, op->help);
				n++;
				continue;
			}
			/* "ihex output: ..." becomes "ihex, srec output: ..." */
			{
				char *rest = strstr(format_help[k], " output: ");
				char tail[160];

				snprintf(tail, sizeof(tail), "%s", rest);
				snprintf(rest, sizeof(format_help[k]) -
					 (size_t)(rest - format_help[k]), ", %s%s",
					 f[i]->name, tail);
			}
		}
	}
	format_rows[n] = (struct opt)OPT_END;
}

enum { MAX_ROWS = 128 };

/* The rows of t, blocks expanded, in order; TEXT rows too. */
static size_t flatten(const struct opt *t, const struct opt **out, size_t n,
		      size_t max)
{
	for (; t->id; t++) {
		if (t->id == OPT_ID_BLOCK)
			n = flatten(t->block, out, n, max);
		else if (n < max)
			out[n++] = t;
	}
	return n;
}

void opt_init(struct opt_parser *p, const char *cmd, const struct opt *opts,
	      int argc, char **argv)
{
	memset(p, 0, sizeof(*p));
	p->cmd = cmd;
	p->opts = opts;
	p->args = argv + 1;
	p->argc = argc - 1;
}

/* The row of t for --lng (its first len characters), or for -shrt. */
static const struct opt *find_row(const struct opt *t, const char *lng,
				  size_t len, char shrt)
{
	const struct opt *rows[MAX_ROWS], *o = NULL;
	size_t i, n = flatten(t, rows, 0, MAX_ROWS);

	for (i = 0; i < n && !o; i++)
		if (lng ? rows[i]->lng && strlen(rows[i]->lng) == len &&
			  !strncmp(rows[i]->lng, lng, len)
			: shrt && rows[i]->shrt == shrt)
			o = rows[i];
	return o;
}

/* The commands other than cmd that have --name: "bin", "patch and serial". */
static void others_with(const char *cmd, const char *name, char *buf, size_t n)
{
	const char *last = NULL;
	size_t i, found = 0;

	buf[0] = '\0';
	for (i = 0; i < ncommands; i++) {
		if (!strcmp(commands[i].name, cmd) ||
		    !find_row(commands[i].opts, name, strlen(name), 0))
			continue;
		if (last)
			snprintf(buf + strlen(buf), n - strlen(buf), "%s%s",
				 found > 1 ? ", " : "", last);
		last = commands[i].name;
		found++;
	}
	if (last)
		snprintf(buf + strlen(buf), n - strlen(buf), "%s%s",
			 found > 1 ? " and " : "", last);
}

/* An unknown --name: the closest option, or the commands that take it. */
static int unknown_long(const struct opt_parser *p, const char *name)
{
	const struct opt *rows[MAX_ROWS], *best = NULL;
	size_t i, n = flatten(p->opts, rows, 0, MAX_ROWS), d, bestd = 0;
	char others[256];
	int ret;

	for (i = 0; i < n; i++) {
		if (!rows[i]->lng)
			continue;
		d = stimg_edit_distance(name, rows[i]->lng);
		/* an abbreviation is as close as a typo */
		if (strlen(name) >= 2 && !strncmp(rows[i]->lng, name, strlen(name)))
			d = 1;
		if (!best || d < bestd) {
			best = rows[i];
			bestd = d;
		}
	}
	others_with(p->cmd, name, others, sizeof(others));
	if (others[0])
		ret = usage_error(p->cmd, "%s: unknown option '--%s'; it is an "
				  "option of %s", p->cmd, name, others);
	else if (best && (bestd <= 1 || bestd * 3 <= strlen(best->lng)))
		ret = usage_error(p->cmd, "%s: unknown option '--%s'; did you "
				  "mean '--%s'?", p->cmd, name, best->lng);
	else
		ret = usage_error(p->cmd, "%s: unknown option '--%s'", p->cmd,
				  name);
	return ret;
}

/*
 * The row o was found, as typed (--long or -s), with its value after '='
 * or glued to the short option in inline_value: its id and *value, or
 * OPT_STOP.
 */
static int found(struct opt_parser *p, const struct opt *o, bool as_long,
		 char *inline_value, char **value)
{
	char name[80];
	int id = OPT_STOP;

	if (as_long)
		snprintf(name, sizeof(name), "--%s", o->lng);
	else
		snprintf(name, sizeof(name), "-%c", o->shrt);
	if (!o->arg && inline_value) {
		p->status = usage_error(p->cmd, "%s: option '%s' takes no value",
					p->cmd, name);
	} else if (o->arg && !inline_value && p->next == p->argc) {
		p->status = usage_error(p->cmd, "%s: option '%s' needs a value: "
					"%s %s", p->cmd, name, name, o->arg);
	} else if (o->id == 'h') {
		opt_help(stdout, p->opts);
		p->status = fflush(stdout) || ferror(stdout) ? EXIT_IO : EXIT_OK;
	} else {
		*value = o->arg && !inline_value ? p->args[p->next++]
						 : inline_value;
		id = o->id;
	}
	return id;
}

static int long_option(struct opt_parser *p, char *name, char **value)
{
	char *eq = strchr(name, '=');
	const struct opt *o;
	int id = OPT_STOP;

	if (eq)
		*eq = '\0';
	o = find_row(p->opts, name, strlen(name), 0);
	if (o)
		id = found(p, o, true, eq ? eq + 1 : NULL, value);
	else
		p->status = unknown_long(p, name);
	return id;
}

static int short_option(struct opt_parser *p, char **value)
{
	char c = *p->cluster++;
	const struct opt *o = find_row(p->opts, NULL, 0, c);
	char *rest = p->cluster;
	int id = OPT_STOP;

	if (!o) {
		p->cluster = NULL;
		p->status = usage_error(p->cmd, "%s: unknown option '-%c'",
					p->cmd, c);
	} else if (!o->arg) {
		id = found(p, o, false, NULL, value);
	} else {
		/* -oVALUE, or -o VALUE */
		p->cluster = NULL;
		id = found(p, o, false, *rest ? rest : NULL, value);
	}
	return id;
}

int opt_next(struct opt_parser *p, char **value)
{
	int id = OPT_DONE;
	char *a;

	*value = NULL;
	if (p->cluster && *p->cluster)
		id = short_option(p, value);
	while (id == OPT_DONE && p->next < p->argc) {
		a = p->args[p->next++];
		/* operands move to the front, behind the ones before */
		if (p->operands_only || a[0] != '-' || !a[1] || a[1] == '@') {
			p->args[p->nargs++] = a;
		} else if (!strcmp(a, "--")) {
			p->operands_only = true;
		} else if (a[1] == '-') {
			id = long_option(p, a + 2, value);
		} else {
			p->cluster = a + 1;
			id = short_option(p, value);
		}
	}
	return id;
}

int opt_unhandled(const struct opt_parser *p, int id)
{
	return usage_error(p->cmd, "%s: option %d is in the table but not "
			   "handled (a bug)", p->cmd, id);
}

/* Option rows: names in a column of 22, then the help, wrapped lines under. */
void opt_help(FILE *f, const struct opt *opts)
{
	const struct opt *rows[MAX_ROWS];
	size_t i, n = flatten(opts, rows, 0, MAX_ROWS);
	const char *h;
	char names[80];
	int len;

	for (i = 0; i < n; i++) {
		const struct opt *o = rows[i];

		if (o->id == OPT_ID_TEXT) {
			fputs(o->help, f);
			continue;
		}
		if (o->shrt && o->lng)
			len = snprintf(names, sizeof(names), "-%c, --%s", o->shrt,
				       o->lng);
		else if (o->shrt)
			len = snprintf(names, sizeof(names), "-%c", o->shrt);
		else
			len = snprintf(names, sizeof(names), "--%s", o->lng);
		if (o->arg)
			len += snprintf(names + len, sizeof(names) - (size_t)len,
					" %s", o->arg);
		if (len <= 20)
			fprintf(f, "  %s%*s", names, 22 - len, "");
		else
			fprintf(f, "  %s\n%24s", names, "");
		for (h = o->help; *h; h++) {
			fputc(*h, f);
			if (*h == '\n')
				fprintf(f, "%24s", "");
		}
		fputc('\n', f);
	}
}

/* ---- completion ---- */

/* Prints cand when it starts with prefix (any case), after before. */
static void offer(const char *before, const char *prefix, const char *cand,
		  size_t len)
{
	bool lower = false;
	size_t i;

	if (strlen(prefix) > len || strncasecmp(cand, prefix, strlen(prefix)))
		return;
	/* what was typed in lower case stays so: crc-32/ for CRC-32/ */
	for (i = 0; prefix[i]; i++)
		lower |= islower((unsigned char)prefix[i]) != 0;
	fputs(before, stdout);
	for (i = 0; i < len; i++)
		putchar(lower ? tolower((unsigned char)cand[i]) : cand[i]);
	putchar('\n');
}

/* The values of an option whose value is called arg. */
static void offer_values(const char *before, const char *arg, const char *prefix)
{
	const struct stimg_crc_model *m;
	const struct stimg_crc_alias *a;
	const char *s, *e;
	size_t n, i;

	if (!strcmp(arg, "ALGO")) {
		m = stimg_crc_models(&n);
		for (i = 0; i < n; i++)
			offer(before, prefix, m[i].name, strlen(m[i].name));
		a = stimg_crc_aliases(&n);
		for (i = 0; i < n; i++)
			offer(before, prefix, a[i].alias, strlen(a[i].alias));
		arg = "";
	}
	if (!strcmp(arg, "FORMAT"))
		arg = stimg_format_names(0);	/* "ihex, srec, bin, elf" */
	/* little|big, or a literal such as bin's "bin"; N, RANGE: nothing */
	for (s = arg; *s; s = *e ? e + 1 : e) {
		while (*s == ' ')
			s++;
		e = s + strcspn(s, "|,");
		/* ADDR in first|last|none|ADDR is a placeholder */
		for (i = 0; s + i < e && !isupper((unsigned char)s[i]); i++)
			;
		if (s + i == e)
			offer(before, prefix, s, (size_t)(e - s));
	}
}

/* The row of cmd's option word ("--crc", "-o"), or NULL. */
static const struct opt *option_of(const struct command *cmd, const char *word)
{
	const struct opt *o = NULL;

	if (word[0] == '-' && word[1] == '-')
		o = find_row(cmd->opts, word + 2, strlen(word + 2), 0);
	else if (word[0] == '-' && word[1] && !word[2])
		o = find_row(cmd->opts, NULL, 0, word[1]);
	return o;
}

int opt_complete(int nwords, char **words)
{
	const struct command *cmd = NULL;
	const struct opt *rows[MAX_ROWS], *o;
	const char *cur = nwords ? words[nwords - 1] : "";
	char before[80], *eq;
	size_t i, n;
	int w;

	if (nwords <= 1) {
		for (i = 0; i < ncommands; i++)
			offer("", cur, commands[i].name, strlen(commands[i].name));
		offer("", cur, "--help", 6);
		offer("", cur, "--version", 9);
		goto out;
	}
	for (i = 0; i < ncommands; i++)
		if (!strcmp(commands[i].name, words[0]))
			cmd = &commands[i];
	if (!cmd)
		goto out;
	/* bash splits --crc=st into --crc, =, st */
	if (!strcmp(cur, "=") && nwords >= 3) {
		o = option_of(cmd, words[nwords - 2]);
		if (o && o->arg)
			offer_values("", o->arg, "");
		goto out;
	}
	if (nwords >= 4 && !strcmp(words[nwords - 2], "=")) {
		o = option_of(cmd, words[nwords - 3]);
		if (o && o->arg)
			offer_values("", o->arg, cur);
		goto out;
	}
	/* is cur the value of the option before it? */
	for (w = 1, o = NULL; w < nwords - 1; w++) {
		if (!strcmp(words[w], "--"))
			goto out;
		o = option_of(cmd, words[w]);
		if (o && o->arg && w == nwords - 2) {
			offer_values("", o->arg, cur);
			goto out;
		}
		if (o && o->arg)
			w++;
	}
	if (cur[0] != '-')
		goto out;
	eq = strchr(cur, '=');
	if (eq && eq - cur < (long)sizeof(before) - 1) {
		snprintf(before, sizeof(before), "%.*s", (int)(eq - cur + 1), cur);
		before[eq - cur] = '\0';
		o = option_of(cmd, before);
		before[eq - cur] = '=';
		if (o && o->arg)
			offer_values(before, o->arg, eq + 1);
		goto out;
	}
	/* "-": every option, "--cr": the long ones that start so */
	n = flatten(cmd->opts, rows, 0, MAX_ROWS);
	for (i = 0; i < n && (!cur[1] || cur[1] == '-'); i++) {
		if (rows[i]->lng)
			offer("--", cur + 1 + !!cur[1], rows[i]->lng,
			      strlen(rows[i]->lng));
		else if (rows[i]->shrt && !cur[1])
			printf("-%c\n", rows[i]->shrt);
	}
out:
	return fflush(stdout) || ferror(stdout) ? EXIT_IO : EXIT_OK;
}
