/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kx_fdt.h - read and patch a flattened device tree in place.
 *
 * Pure code (see kx_lib.h).  The kernel's libfdt is not exported to
 * modules, so kexec_x does not edit the structure of a device tree: the
 * loader builds the new kernel's tree with libfdt, with placeholder
 * properties of their final size in /chosen, and the module overwrites
 * their values once it knows where the pieces go.  Nothing here grows,
 * shrinks or moves anything.
 *
 * The blob comes from userspace: every offset, length and string is
 * checked against the blob before it is used.  Numbers in the blob are
 * big endian.
 */
#ifndef _KEXEC_X_KX_FDT_H
#define _KEXEC_X_KX_FDT_H

#include "kx_lib.h"
#include "place.h"

#define KX_FDT_MAGIC		0xd00dfeed
/* Versions this reader understands: 17, and 16 compatible ones. */
#define KX_FDT_VERSION		17
#define KX_FDT_LAST_COMP	16
#define KX_FDT_HEADER_SIZE	40
/* Most levels of nesting walked, well past any real tree. */
#define KX_FDT_MAX_DEPTH	64

/* The root's #address-cells and #size-cells when it has none (DT spec). */
#define KX_FDT_DEF_ADDR_CELLS	2
#define KX_FDT_DEF_SIZE_CELLS	1

/*
 * Check the header of the blob at @blob (@len bytes): magic, version,
 * totalsize at most @len, the structure and strings blocks and the memory
 * reservation map inside totalsize, the structure block aligned, and a
 * structure block that is a well-formed tree (one root node, FDT_END last,
 * every name and property inside it, property names inside the strings
 * block).  Returns 0 or -EINVAL, with *@why (when non-NULL) saying why.
 */
int kx_fdt_check(const void *blob, size_t len, const char **why);

/* totalsize of a blob kx_fdt_check() accepted. */
u32 kx_fdt_totalsize(const void *blob);

/*
 * Find property @name of the node at @path, "/" for the root or "/chosen"
 * (one level below the root).  On success *@val points at the value
 * inside @blob and *@vlen holds its length.  @blob must have passed
 * kx_fdt_check().  Returns 0, -ENOENT (no such node or property) or
 * -EINVAL (malformed).
 */
int kx_fdt_getprop(const void *blob, const char *path, const char *name,
		   const void **val, u32 *vlen);

/*
 * The root's #address-cells and #size-cells, 1 or 2 each (defaults when
 * absent).  Returns 0 or -EINVAL (another value, or malformed).
 */
int kx_fdt_cells(const void *blob, u32 *addr_cells, u32 *size_cells);

/*
 * Overwrite /chosen/@name with @val, a 4-byte or 8-byte big-endian
 * number whatever length the property has.  Returns 0, -ENOENT (no
 * /chosen or no such property), or -EINVAL (another length, or @val
 * does not fit 4 bytes), with *@why saying why.
 */
int kx_fdt_set_num(void *blob, const char *name, u64 val, const char **why);

/*
 * Overwrite /chosen/@name with the <address size> pairs of @r (@nr
 * ranges, [start, end)), in the root's cells.  The property must be
 * exactly @nr pairs long and every number must fit its cells.  Returns 0,
 * -ENOENT or -EINVAL as kx_fdt_set_num().
 */
int kx_fdt_set_ranges(void *blob, const char *name, const struct kx_range *r,
		      unsigned int nr, const char **why);

#endif /* _KEXEC_X_KX_FDT_H */
