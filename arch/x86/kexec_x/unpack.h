/* SPDX-License-Identifier: GPL-2.0 */
/*
 * unpack.h - decompress a bzImage's payload at load time with the running
 * kernel's own decompressors (module only, not pure).
 */
#ifndef _KEXEC_X_X86_UNPACK_H
#define _KEXEC_X_X86_UNPACK_H

#include <linux/types.h>

/*
 * Decompress the payload of the bzImage @kernel (@len bytes, whose
 * real-mode part is @setup_size bytes) into a new vmalloc() buffer *@out
 * of *@out_len bytes (the size the image records after its payload, as
 * the kernel's mkpiggy reads it).  *@fmt names the format.  Returns 0;
 * -EOPNOTSUPP for a format this module cannot unpack (the caller boots the
 * bzImage as it is); -ENOEXEC for a payload outside the file or that does
 * not decompress to the recorded size; -ENOMEM.  Only -ENOEXEC prints a
 * message (pr_err).
 */
int kx_x86_unpack(const void *kernel, size_t len, u32 setup_size,
		  void **out, size_t *out_len, const char **fmt);

#endif /* _KEXEC_X_X86_UNPACK_H */
