// SPDX-License-Identifier: GPL-2.0
/*
 * fdt-patch.c - the module's device tree patcher (kernel/kexec_x/fdt.c)
 * as a command, so that loader-arm64-test.sh can check that the trees the
 * loader builds with libfdt are what the module accepts and fills.
 *
 *   fdt-patch IN OUT [num NAME VALUE | ranges NAME START END]...
 *
 * Checks IN with kx_fdt_check(), applies kx_fdt_set_num() or
 * kx_fdt_set_ranges() (one range) for each operation on /chosen, and
 * writes OUT.  Prints the reason and exits 1 on the first refusal.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kx_fdt.h"

int main(int argc, char **argv)
{
	static unsigned char buf[(2 << 20)];
	struct kx_range r;
	const char *why = "";
	size_t len;
	FILE *f;
	int i, ret;

	f = argc < 3 ? NULL : fopen(argv[1], "rb");
	if (!f) {
		fprintf(stderr, "usage: fdt-patch IN OUT [num NAME VALUE | %s]...\n",
			"ranges NAME START END");
		return 2;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	ret = kx_fdt_check(buf, len, &why);
	for (i = 3; !ret && i + 2 < argc; i += 3) {
		if (!strcmp(argv[i], "num")) {
			ret = kx_fdt_set_num(buf, argv[i + 1],
					     strtoull(argv[i + 2], NULL, 0),
					     &why);
		} else if (!strcmp(argv[i], "ranges") && i + 3 < argc) {
			r.start = strtoull(argv[i + 2], NULL, 0);
			r.end = strtoull(argv[i + 3], NULL, 0);
			ret = kx_fdt_set_ranges(buf, argv[i + 1], &r, 1, &why);
			i++;
		} else {
			fprintf(stderr, "fdt-patch: bad operation %s\n", argv[i]);
			return 2;
		}
	}
	if (ret) {
		fprintf(stderr, "fdt-patch: %s (%d)\n", why, ret);
		return 1;
	}
	f = fopen(argv[2], "wb");
	len = kx_fdt_totalsize(buf);
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
