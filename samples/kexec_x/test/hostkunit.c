// SPDX-License-Identifier: GPL-2.0
/*
 * hostkunit.c - run the KUnit suites of kexec_x's pure files on the build
 * host, through the kunit/test.h beside this file.
 *
 * Prints one KTAP-like line per case ("ok" or "not ok", the parameter's
 * description in brackets) and ends with "N passed, N failed".  Exits 1
 * if a case failed.  An argument restricts the run to suites whose name
 * contains it.
 */
#include <stdarg.h>

#include "kunit/test.h"

#define HOST_KUNIT_MAX_SUITES	16

static struct kunit_suite *suites[HOST_KUNIT_MAX_SUITES];
static unsigned int nr_suites;
static unsigned int passed, failed;

void host_kunit_register(struct kunit_suite *suite)
{
	if (nr_suites < HOST_KUNIT_MAX_SUITES)
		suites[nr_suites++] = suite;
}

void host_kunit_fail(struct kunit *test, bool fatal, const char *file,
		     int line, const char *fmt, ...)
{
	va_list ap;

	printf("    # %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	test->failed = true;
	if (fatal)
		longjmp(test->abort, 1);
}

static void run_case(const struct kunit_suite *suite,
		     const struct kunit_case *c, const void *param,
		     const char *desc)
{
	struct kunit test = { .param_value = param };
	unsigned int i;

	if (!setjmp(test.abort))
		c->run_case(&test);
	for (i = 0; i < test.nr_allocs; i++)
		free(test.allocs[i]);
	printf("%s %s.%s%s%s%s\n", test.failed ? "not ok" : "ok",
	       suite->name, c->name, desc ? " [" : "", desc ? desc : "",
	       desc ? "]" : "");
	if (test.failed)
		failed++;
	else
		passed++;
}

static void run_suite(const struct kunit_suite *suite)
{
	char desc[KUNIT_PARAM_DESC_SIZE];
	const struct kunit_case *c;
	const void *param;

	printf("# %s\n", suite->name);
	for (c = suite->test_cases; c->run_case; c++) {
		if (!c->generate_params) {
			run_case(suite, c, NULL, NULL);
			continue;
		}
		param = NULL;
		for (;;) {
			desc[0] = '\0';
			param = c->generate_params(param, desc);
			if (!param)
				break;
			run_case(suite, c, param, desc);
		}
	}
}

int main(int argc, char **argv)
{
	unsigned int i;

	for (i = 0; i < nr_suites; i++)
		if (argc < 2 || strstr(suites[i]->name, argv[1]))
			run_suite(suites[i]);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
