/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kunit/test.h for userspace: the part of KUnit that kexec_x's tests of
 * pure code use, so that the very same *_test.c files also run on the
 * build host (make -C samples/kexec_x check) under ASan and UBSan.
 *
 * Semantics kept: KUNIT_EXPECT_* records a failure and goes on,
 * KUNIT_ASSERT_* ends the case; KUNIT_ARRAY_PARAM cases run once per
 * array element; kunit_kzalloc() memory is freed after each case.
 */
#ifndef _KX_HOST_KUNIT_TEST_H
#define _KX_HOST_KUNIT_TEST_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KUNIT_PARAM_DESC_SIZE	128
#define GFP_KERNEL		0

/*
 * The tests ask IS_ENABLED(CONFIG_KEXEC_X) in #if only, to leave
 * MODULE_*() to the module: say yes.  Other options are not set.
 */
#define CONFIG_KEXEC_X			1
#define IS_ENABLED(CONFIG_option)	((CONFIG_option) + 0)

#define HOST_KUNIT_MAX_ALLOCS	64

struct kunit {
	const void *param_value;
	bool failed;
	jmp_buf abort;
	void *allocs[HOST_KUNIT_MAX_ALLOCS];
	unsigned int nr_allocs;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
};

struct kunit_suite {
	const char *name;
	struct kunit_case *test_cases;
};

void host_kunit_register(struct kunit_suite *suite);
void host_kunit_fail(struct kunit *test, bool fatal, const char *file,
		     int line, const char *fmt, ...) __printf(5, 6);

#define kunit_test_suite(suite)						\
	static void __attribute__((constructor)) host_register_##suite(void) \
	{								\
		host_kunit_register(&(suite));				\
	}

#define KUNIT_CASE(fn)		{ .run_case = fn, .name = #fn }
#define KUNIT_CASE_PARAM(fn, gen) \
	{ .run_case = fn, .name = #fn, .generate_params = gen }

#define KUNIT_ARRAY_PARAM(name, array, get_desc)			\
	static const void *name##_gen_params(const void *prev, char *desc) \
	{								\
		typeof(array) *all = &(array);				\
		typeof(&(*all)[0]) next = prev ?			\
			(typeof(next))prev + 1 : *all;			\
									\
		if (next - *all >= (long)(sizeof(*all) / sizeof((*all)[0]))) \
			return NULL;					\
		get_desc(next, desc);					\
		return next;						\
	}

static inline void *kunit_kzalloc(struct kunit *test, size_t size, int gfp)
{
	void *p;

	(void)gfp;
	if (test->nr_allocs >= HOST_KUNIT_MAX_ALLOCS)
		return NULL;
	p = calloc(1, size ? size : 1);
	if (p)
		test->allocs[test->nr_allocs++] = p;
	return p;
}

static inline void *kunit_kcalloc(struct kunit *test, size_t n, size_t size,
				  int gfp)
{
	return kunit_kzalloc(test, n * size, gfp);
}

static inline long strscpy(char *dst, const char *src, size_t size)
{
	size_t len = strnlen(src, size);

	if (!size)
		return -7;	/* -E2BIG */
	if (len == size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return len;
}

#define HOST_KUNIT_CHECK(test, ok, fatal, ...)				\
	do {								\
		if (!(ok))						\
			host_kunit_fail(test, fatal, __FILE__, __LINE__, \
					__VA_ARGS__);			\
	} while (0)

/* Evaluates @left and @right once; on failure prints them, then @fmt. */
#define HOST_KUNIT_BINARY_MSG(test, left, op, right, fatal, fmt, ...)	\
	do {								\
		typeof(left) __l = (left);				\
		typeof(right) __r = (right);				\
									\
		HOST_KUNIT_CHECK(test, __l op __r, fatal,		\
				 "expected %s %s %s, but 0x%llx, 0x%llx" fmt, \
				 #left, #op, #right,			\
				 (unsigned long long)__l,		\
				 (unsigned long long)__r, ##__VA_ARGS__); \
	} while (0)

#define HOST_KUNIT_BINARY(test, left, op, right, fatal)			\
	HOST_KUNIT_BINARY_MSG(test, left, op, right, fatal, "")

#define KUNIT_EXPECT_EQ(t, a, b)	HOST_KUNIT_BINARY(t, a, ==, b, false)
#define KUNIT_EXPECT_NE(t, a, b)	HOST_KUNIT_BINARY(t, a, !=, b, false)
#define KUNIT_EXPECT_LT(t, a, b)	HOST_KUNIT_BINARY(t, a, <, b, false)
#define KUNIT_EXPECT_LE(t, a, b)	HOST_KUNIT_BINARY(t, a, <=, b, false)
#define KUNIT_EXPECT_GT(t, a, b)	HOST_KUNIT_BINARY(t, a, >, b, false)
#define KUNIT_EXPECT_GE(t, a, b)	HOST_KUNIT_BINARY(t, a, >=, b, false)
#define KUNIT_ASSERT_EQ(t, a, b)	HOST_KUNIT_BINARY(t, a, ==, b, true)
#define KUNIT_ASSERT_NE(t, a, b)	HOST_KUNIT_BINARY(t, a, !=, b, true)
#define KUNIT_ASSERT_EQ_MSG(t, a, b, fmt, ...)				\
	HOST_KUNIT_BINARY_MSG(t, a, ==, b, true, "; " fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_TRUE(t, c)	\
	HOST_KUNIT_CHECK(t, !!(c), false, "expected %s", #c)
#define KUNIT_EXPECT_FALSE(t, c) \
	HOST_KUNIT_CHECK(t, !(c), false, "expected !(%s)", #c)
#define KUNIT_ASSERT_TRUE(t, c)	\
	HOST_KUNIT_CHECK(t, !!(c), true, "expected %s", #c)
#define KUNIT_EXPECT_NULL(t, p)	\
	HOST_KUNIT_CHECK(t, !(p), false, "expected %s == NULL", #p)
#define KUNIT_EXPECT_NOT_NULL(t, p) \
	HOST_KUNIT_CHECK(t, !!(p), false, "expected %s != NULL", #p)
#define KUNIT_ASSERT_NOT_NULL(t, p) \
	HOST_KUNIT_CHECK(t, !!(p), true, "expected %s != NULL", #p)
#define KUNIT_EXPECT_STREQ(t, a, b)					\
	host_kunit_streq(t, a, b, #a, #b, __FILE__, __LINE__)

static inline void host_kunit_streq(struct kunit *test, const char *a,
				    const char *b, const char *a_text,
				    const char *b_text, const char *file,
				    int line)
{
	if (strcmp(a, b))
		host_kunit_fail(test, false, file, line,
				"expected %s == %s, but \"%s\", \"%s\"",
				a_text, b_text, a, b);
}

#endif /* _KX_HOST_KUNIT_TEST_H */
