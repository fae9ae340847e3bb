// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the /proc/iomem name lookup (iomem.c): one table row per
 * case, text as the kernel's r_show() prints it, or damaged.
 */
#include <kunit/test.h>

#include "iomem.h"

#define ARM64_IOMEM \
	"09000000-09000fff : pl011@9000000\n" \
	"40000000-bfffffff : System RAM\n" \
	"  40210000-4171ffff : Kernel code\n" \
	"  41720000-41ebffff : reserved\n" \
	"  41ec0000-4234ffff : Kernel data\n" \
	"  9e000000-bdffffff : Crash kernel\n"

struct iomem_case {
	const char *desc;
	const char *text;
	const char *name;
	int ret;
	u64 start, end;
};

static const struct iomem_case iomem_cases[] = {
	{ "kernel code, indented", ARM64_IOMEM, "Kernel code", 0,
	  0x40210000, 0x4171ffff },
	{ "kernel data, indented", ARM64_IOMEM, "Kernel data", 0,
	  0x41ec0000, 0x4234ffff },
	{ "top level", ARM64_IOMEM, "System RAM", 0, 0x40000000, 0xbfffffff },
	{ "a name that is not there", ARM64_IOMEM, "Kernel bss", -ENOENT },
	{ "a prefix of a name is not the name", ARM64_IOMEM, "Kernel", -ENOENT },
	{ "a name is not a prefix match either", ARM64_IOMEM, "System RAM ",
	  -ENOENT },
	{ "the first of two", "1000-1fff : x\n2000-2fff : x\n", "x", 0,
	  0x1000, 0x1fff },
	{ "no final newline", "1000-1fff : x", "x", 0, 0x1000, 0x1fff },
	{ "empty text", "", "x", -ENOENT },
	{ "64-bit addresses", "fffffffff0000000-ffffffffffffffff : top\n",
	  "top", 0, 0xfffffffff0000000ULL, ~0ULL },
	{ "upper-case hex", "ABC000-ABCFFF : x\n", "x", 0, 0xabc000, 0xabcfff },
	{ "addresses hidden from an unprivileged reader",
	  "00000000-00000000 : Kernel data\n", "Kernel data", -EINVAL },
	{ "end before start", "2000-1fff : x\n", "x", -EINVAL },
	{ "seventeen hex digits", "10000000000000000-1 : x\n", "x", -EINVAL },
	{ "no dash", "1000 1fff : x\n", "x", -EINVAL },
	{ "no start", "-1fff : x\n", "x", -EINVAL },
	{ "junk after the end", "1000-1fffz : x\n", "x", -EINVAL },
	{ "a malformed line of another name is skipped",
	  "zz : y\n1000-1fff : x\n", "x", 0, 0x1000, 0x1fff },
	{ "no separator at all", "1000-1fff x\n", "x", -ENOENT },
};

static void iomem_case_desc(const struct iomem_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(iomem, iomem_cases, iomem_case_desc);

static void iomem_find_test(struct kunit *test)
{
	const struct iomem_case *c = test->param_value;
	u64 start = 0x5a5a, end = 0x5a5a;
	int ret;

	ret = kx_iomem_find(c->text, strlen(c->text), c->name, &start, &end);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (!c->ret) {
		KUNIT_EXPECT_EQ(test, start, c->start);
		KUNIT_EXPECT_EQ(test, end, c->end);
	}
}

/* The length bounds the search: nothing past it is read. */
static void iomem_length_test(struct kunit *test)
{
	static const char text[] = "1000-1fff : x\n2000-2fff : y\n";
	u64 start, end;

	KUNIT_EXPECT_EQ(test, kx_iomem_find(text, 14, "y", &start, &end),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, kx_iomem_find(text, 14, "x", &start, &end), 0);
	/* Cut inside a name: "x" is not "xy". */
	KUNIT_EXPECT_EQ(test, kx_iomem_find("1000-1fff : xy", 13, "xy",
					    &start, &end), -ENOENT);
}

static struct kunit_case kexec_x_iomem_cases[] = {
	KUNIT_CASE_PARAM(iomem_find_test, iomem_gen_params),
	KUNIT_CASE(iomem_length_test),
	{}
};

static struct kunit_suite kexec_x_iomem_suite = {
	.name = "kexec_x_iomem",
	.test_cases = kexec_x_iomem_cases,
};

kunit_test_suite(kexec_x_iomem_suite);
