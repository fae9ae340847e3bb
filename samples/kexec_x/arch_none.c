// SPDX-License-Identifier: GPL-2.0
/*
 * arch_none.c - the kexec_x loader on an architecture whose image builder
 * (-c) is not written yet: LOAD_FILE, EXEC, UNLOAD and STATUS still work.
 * An architecture adds arch_<name>.c with the functions of loader.h and
 * names it in the Makefile.
 */
#include <errno.h>

#include "loader.h"

const char *kx_arch_name(void)
{
	return "this architecture";
}

int kx_arch_plan(const struct kx_load *ld, struct kx_plan *plan)
{
	(void)plan;
	kx_err("%s: -c and --dry-run are not implemented for %s; load without -c",
	       ld->kernel, kx_arch_name());
	return -EOPNOTSUPP;
}

void kx_arch_free(struct kx_plan *plan)
{
	(void)plan;
}

void kx_arch_explain(const char *path)
{
	(void)path;
}
