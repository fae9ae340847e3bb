/* SPDX-License-Identifier: GPL-2.0 */
/*
 * file.h - what a file load hands to the architecture's planner.
 */
#ifndef _KEXEC_X_FILE_H
#define _KEXEC_X_FILE_H

#include <linux/types.h>
#include <linux/kexec_x.h>

/**
 * struct kx_file_src - a kernel file load in progress
 * @kernel, @kernel_len: the kernel file's bytes
 * @initrd, @initrd_len: the initrd's bytes, NULL/0 for none
 * @cmdline, @cmdline_len: NUL-terminated command line incl. NUL, or NULL/0
 * @segs, @nr_segs: out: the segments; their buf are kernel addresses
 *                  inside @kernel, @initrd or @setup_buf
 * @entry, @arg:  out: entry point and argument register
 * @setup_buf:    out: buffer the planner allocated (kvmalloc) for boot
 *                information; freed by the caller with kvfree()
 * @crash:        load a crash image into the crash reservation
 * @notes:        out, crash only: per-CPU note buffers (kmalloc) the ELF
 *                core header points at; they go with the loaded image
 * @note_size:    out: bytes of each note buffer
 * @extra_buf:    out: another planner buffer (kvmalloc; crash: the ELF
 *                core header), freed by the caller with kvfree()
 * @crash_cmdline: out: the crash kernel's command line (kmalloc), freed by
 *                the caller
 * @plain:        KEXEC_X_LOAD_PLAIN: load the kernel file as it is
 * @unpacked:     out: the kernel as the planner unpacked it (vmalloc), or
 *                NULL; freed by the caller with vfree()
 * @dtb, @dtb_len: KEXEC_X_LOAD_DTB: the caller's device tree (kvmalloc),
 *                NULL/0 without; the planner may patch it in place and use
 *                it as a segment buffer; freed by the caller with kvfree()
 */
struct kx_file_src {
	void *kernel;
	size_t kernel_len;
	void *initrd;
	size_t initrd_len;
	const char *cmdline;
	size_t cmdline_len;
	struct kexec_x_segment segs[KEXEC_X_SEGMENT_MAX];
	unsigned int nr_segs;
	u64 entry;
	u64 arg;
	void *setup_buf;
	bool crash;
	void *notes;
	size_t note_size;
	void *extra_buf;
	char *crash_cmdline;
	bool plain;
	void *unpacked;
	void *dtb;
	size_t dtb_len;
};

#endif /* _KEXEC_X_FILE_H */
