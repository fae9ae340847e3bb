// SPDX-License-Identifier: GPL-2.0
/*
 * file.c - KEXEC_X_IOC_LOAD_FILE: read a kernel and an initrd from file
 * descriptors, let the architecture lay them out, and load the result
 * through the same checks and copy as raw segments.
 *
 * The files are read with kernel_read_file_from_fd(), so IMA and the LSMs
 * see them as READING_KEXEC_IMAGE and READING_KEXEC_INITRAMFS, exactly as
 * with kexec_file_load().  The architecture's planner (x86:
 * kx_x86_file_build) is pure code shared with the loader's -c mode.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel_read_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "internal.h"
#include "file.h"

/* Largest kernel and initrd accepted: well past any real one. */
#define KX_MAX_KERNEL	(512UL << 20)
#define KX_MAX_INITRD	(INT_MAX & PAGE_MASK)

static int kx_read_fd(int fd, enum kernel_read_file_id id, size_t max,
		      void **buf, size_t *len, const char *what)
{
	ssize_t ret;

	*buf = NULL;
	ret = kernel_read_file_from_fd(fd, 0, buf, max, NULL, id);
	/* kernel_read_file() says -EINVAL for an empty or irregular file. */
	if (ret == -EINVAL)
		pr_err("the %s file is empty or not a regular file\n", what);
	else if (ret < 0)
		pr_err("cannot read the %s from fd %d (%zd)\n", what, fd, ret);
	if (ret < 0) {
		*buf = NULL;
		return ret;
	}
	*len = ret;
	return 0;
}

/* Segment buffers of a file load are kernel addresses. */
static int kx_read_kernel(void *ctx, unsigned int seg, u64 off, void *dst,
			  size_t len)
{
	const struct kexec_x_segment *segs = ctx;

	memcpy(dst, (const void *)(uintptr_t)(segs[seg].buf + off), len);
	return 0;
}

int kx_load_file(const struct kexec_x_load_file *req, const char *cmdline,
		 size_t cmdline_len, struct kx_slot **out)
{
	struct kx_file_src src = {
		.cmdline = cmdline,
		.cmdline_len = cmdline_len,
		.crash = req->flags & KEXEC_X_LOAD_CRASH,
		.plain = req->flags & KEXEC_X_LOAD_PLAIN,
	};
	int ret;

	ret = kx_read_fd(req->kernel_fd, READING_KEXEC_IMAGE, KX_MAX_KERNEL,
			 &src.kernel, &src.kernel_len, "kernel");
	/* Not a kernel, as the uapi header documents it. */
	if (ret == -EINVAL)
		return -ENOEXEC;
	if (ret)
		return ret;
	if (req->initrd_fd >= 0) {
		ret = kx_read_fd(req->initrd_fd, READING_KEXEC_INITRAMFS,
				 KX_MAX_INITRD, &src.initrd, &src.initrd_len,
				 "initrd");
		if (ret)
			goto out;
	} else if (req->initrd_fd != -1) {
		pr_err("initrd fd %d: use -1 for no initrd\n", req->initrd_fd);
		ret = -EBADF;
		goto out;
	}

	if (req->flags & KEXEC_X_LOAD_DTB) {
		if (!IS_ENABLED(CONFIG_ARM64)) {
			pr_err("this architecture takes no device tree (KEXEC_X_LOAD_DTB)\n");
			ret = -EINVAL;
			goto out;
		}
		src.dtb = vmemdup_user(u64_to_user_ptr(req->dtb),
				       req->dtb_len);
		if (IS_ERR(src.dtb)) {
			ret = PTR_ERR(src.dtb);
			src.dtb = NULL;
			pr_err("cannot read the device tree (%d)\n", ret);
			goto out;
		}
		src.dtb_len = req->dtb_len;
	}

	ret = kx_arch_file_build(&src);
	if (ret)
		goto out;
	ret = kx_load_slot(KEXEC_X_KIND_FILE, src.crash, src.segs,
			   src.nr_segs, src.entry, src.arg, kx_read_kernel,
			   src.segs, out);
	if (!ret) {
		/* The notes the ELF core header points at go with the image. */
		(*out)->notes = src.notes;
		(*out)->note_size = src.note_size;
		src.notes = NULL;
	}
out:
	kfree(src.notes);
	kfree(src.crash_cmdline);
	kvfree(src.extra_buf);
	kvfree(src.setup_buf);
	kvfree(src.dtb);
	vfree(src.unpacked);
	vfree(src.initrd);
	vfree(src.kernel);
	return ret;
}
