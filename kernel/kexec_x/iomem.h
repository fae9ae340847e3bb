/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iomem.h - find a named range in the text of /proc/iomem.
 *
 * Some facts kexec_x needs are in no exported variable and, on kernels
 * without KALLSYMS_ALL, in no kallsyms entry, but the resource tree shows
 * them, as kexec-tools reads them: on arm64 "Kernel data" ends at
 * __pa(_end).  Pure: the caller reads the file.
 */
#ifndef _KEXEC_X_IOMEM_H
#define _KEXEC_X_IOMEM_H

#include "kx_lib.h"

/*
 * Find the first line of @text (@len bytes, not necessarily terminated)
 * of the form "<indent><start>-<end> : <name>" whose name is exactly
 * @name, at any depth, and return its inclusive bounds in *@start and
 * *@end.  0 when found; -ENOENT when no line has that name; -EINVAL when
 * the first line with that name is malformed, has end < start or was
 * read without the capability to see addresses (all zeros).
 */
int kx_iomem_find(const char *text, size_t len, const char *name,
		  u64 *start, u64 *end);

#endif /* _KEXEC_X_IOMEM_H */
