// SPDX-License-Identifier: GPL-2.0
/*
 * unpack.c - decompress a bzImage's payload while loading (see unpack.h).
 *
 * The payload is what arch/x86/boot/compressed/ would decompress at boot:
 * vmlinux (stripped) and its relocation table, compressed, followed by
 * the uncompressed size as a little-endian u32 (scripts/Makefile.lib
 * size_append; gzip's own trailer holds the same).  The setup header's
 * payload_offset and payload_length (boot protocol 2.08) locate it.
 * The decompressors are the running kernel's exported ones, linked
 * directly: a kernel without one of them refuses to load kexec_x.ko
 * ("Unknown symbol" from insmod) rather than failing later; Debian's 6.1
 * and 6.12 have all four built in.
 *
 * xz, gzip and lz4 run a step at a time with cond_resched() in between.
 * zstd decompresses in one call: its streaming interface would need a
 * window buffer as large as the frame's window (up to 128 MiB for the
 * kernel's zstd -22), and one call takes about 3 s for Debian's 6.12 under
 * TCG, well below the soft lockup watchdog.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crc32.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/lz4.h>
#include <linux/xz.h>
#include <linux/zlib.h>
#include <linux/zstd.h>
#include <asm/bootparam.h>

#include "bootparam.h"
#include "unpack.h"

/*
 * Output produced between two cond_resched(): a whole kernel takes tens of
 * seconds to decompress under emulation, past the soft lockup watchdog's
 * 20 s on a kernel without involuntary preemption.
 */
#define KX_UNPACK_STEP		SZ_1M
/* Largest xz dictionary accepted (the kernel's own use 32 MiB at most). */
#define KX_XZ_DICT_MAX		SZ_256M

static int kx_unxz(const u8 *in, size_t in_len, u8 *out, size_t out_len)
{
	struct xz_buf b = { .in = in, .in_size = in_len, .out = out };
	struct xz_dec *s = xz_dec_init(XZ_DYNALLOC, KX_XZ_DICT_MAX);
	enum xz_ret ret;

	if (!s)
		return -ENOMEM;
	/* Multi-call mode, a step of output at a time. */
	do {
		b.out_size = min_t(size_t, out_len, b.out_pos + KX_UNPACK_STEP);
		ret = xz_dec_run(s, &b);
		cond_resched();
	} while (ret == XZ_OK);
	xz_dec_end(s);
	if (ret == XZ_OPTIONS_ERROR || ret == XZ_FORMAT_ERROR)
		return -EOPNOTSUPP;	/* a filter or check not built in */
	if (ret != XZ_STREAM_END || b.out_pos != out_len) {
		pr_err("cannot unpack the kernel: xz error %d after %zu of %zu bytes\n",
		       ret, b.out_pos, out_len);
		return -ENOEXEC;
	}
	return 0;
}

static int kx_unzstd(const u8 *in, size_t in_len, u8 *out, size_t out_len)
{
	size_t frame, wsize, ret;
	zstd_dctx *dctx;
	void *ws;

	frame = zstd_find_frame_compressed_size(in, in_len);
	if (zstd_is_error(frame)) {
		pr_err("cannot unpack the kernel: zstd: %s\n",
		       zstd_get_error_name(frame));
		return -ENOEXEC;
	}
	wsize = zstd_dctx_workspace_bound();
	ws = kvmalloc(wsize, GFP_KERNEL);
	if (!ws)
		return -ENOMEM;
	dctx = zstd_init_dctx(ws, wsize);
	ret = dctx ? zstd_decompress_dctx(dctx, out, out_len, in, frame) : 0;
	kvfree(ws);
	if (!dctx)
		return -ENOMEM;
	if (zstd_is_error(ret) || ret != out_len) {
		pr_err("cannot unpack the kernel: zstd: %s (%zu of %zu bytes)\n",
		       zstd_is_error(ret) ? zstd_get_error_name(ret) : "short",
		       zstd_is_error(ret) ? 0 : ret, out_len);
		return -ENOEXEC;
	}
	return 0;
}

/*
 * gzip (RFC 1952): skip the member header, inflate the raw deflate data,
 * check the trailer's CRC32 (the size, the caller took from it).
 */
static int kx_gunzip(const u8 *in, size_t in_len, u8 *out, size_t out_len)
{
	struct z_stream_s strm = { };
	size_t pos = 10;
	u8 flg = in[3];
	int ret;

	if (in[2] != 8 || in_len < 18)
		return -EOPNOTSUPP;
	if (flg & 4) {			/* FEXTRA */
		pos += 2 + (in[10] | in[11] << 8);
	}
	if (flg & 8)			/* FNAME */
		while (pos < in_len && in[pos++])
			;
	if (flg & 16)			/* FCOMMENT */
		while (pos < in_len && in[pos++])
			;
	if (flg & 2)			/* FHCRC */
		pos += 2;
	if (pos + 8 > in_len) {
		pr_err("cannot unpack the kernel: gzip header past the payload\n");
		return -ENOEXEC;
	}
	strm.workspace = vmalloc(zlib_inflate_workspacesize());
	if (!strm.workspace)
		return -ENOMEM;
	strm.next_in = in + pos;
	strm.avail_in = in_len - pos - 8;
	strm.next_out = out;
	ret = zlib_inflateInit2(&strm, -MAX_WBITS);
	while (ret == Z_OK) {
		strm.avail_out = min_t(size_t, out_len - strm.total_out,
				       KX_UNPACK_STEP);
		ret = zlib_inflate(&strm, Z_SYNC_FLUSH);
		cond_resched();
	}
	zlib_inflateEnd(&strm);
	vfree(strm.workspace);
	if (ret != Z_STREAM_END || strm.total_out != out_len) {
		pr_err("cannot unpack the kernel: inflate error %d after %lu of %zu bytes\n",
		       ret, strm.total_out, out_len);
		return -ENOEXEC;
	}
	if ((crc32_le(~0U, out, out_len) ^ ~0U) != kx_get_le32(in + in_len - 8)) {
		pr_err("cannot unpack the kernel: gzip CRC32 mismatch\n");
		return -ENOEXEC;
	}
	return 0;
}

/* lz4 -l (legacy frames): chunks of le32 size + block, up to 8 MiB each. */
#define KX_LZ4_LEGACY_MAGIC	0x184c2102

static int kx_unlz4(const u8 *in, size_t in_len, u8 *out, size_t out_len)
{
	size_t pos = 4, done = 0;

	while (done < out_len && pos + 4 <= in_len) {
		u32 csize = kx_get_le32(in + pos);
		int n;

		pos += 4;
		if (csize == KX_LZ4_LEGACY_MAGIC)
			continue;
		if (csize > in_len - pos)
			break;
		n = LZ4_decompress_safe((const char *)in + pos,
					(char *)out + done, csize,
					out_len - done);
		if (n < 0)
			break;
		done += n;
		pos += csize;
		cond_resched();
	}
	if (done != out_len) {
		pr_err("cannot unpack the kernel: lz4 stopped after %zu of %zu bytes\n",
		       done, out_len);
		return -ENOEXEC;
	}
	return 0;
}

int kx_x86_unpack(const void *kernel, size_t len, u32 setup_size,
		  void **out, size_t *out_len, const char **fmt)
{
	const struct setup_header *h = (const void *)((const u8 *)kernel +
						      KX_X86_HDR_OFFSET);
	u32 off = h->payload_offset, plen = h->payload_length;
	static const u8 xz_magic[] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
	static const u8 zstd_magic[] = { 0x28, 0xb5, 0x2f, 0xfd };
	static const u8 gz_magic[] = { 0x1f, 0x8b };
	const u8 *in;
	size_t olen;
	u8 *buf;
	int ret;

	*out = NULL;
	*out_len = 0;
	*fmt = "none";
	if (setup_size > len || off > len - setup_size ||
	    plen > len - setup_size - off || plen < 16) {
		pr_err("cannot unpack the kernel: payload outside the file\n");
		return -ENOEXEC;
	}
	in = (const u8 *)kernel + setup_size + off;
	olen = kx_get_le32(in + plen - 4);
	if (olen < 64 || olen > KX_X86_KERNEL_MAX) {
		pr_err("cannot unpack the kernel: recorded size %zu out of range\n",
		       olen);
		return -ENOEXEC;
	}
	if (!memcmp(in, xz_magic, sizeof(xz_magic)))
		*fmt = "xz";
	else if (!memcmp(in, zstd_magic, sizeof(zstd_magic)))
		*fmt = "zstd";
	else if (!memcmp(in, gz_magic, sizeof(gz_magic)))
		*fmt = "gzip";
	else if (kx_get_le32(in) == KX_LZ4_LEGACY_MAGIC)
		*fmt = "lz4";
	else
		return -EOPNOTSUPP;

	buf = vmalloc(olen);
	if (!buf)
		return -ENOMEM;
	switch ((*fmt)[0]) {
	case 'x':
		ret = kx_unxz(in, plen - 4, buf, olen);
		break;
	case 'z':
		ret = kx_unzstd(in, plen - 4, buf, olen);
		break;
	case 'g':
		ret = kx_gunzip(in, plen, buf, olen);
		break;
	default:
		ret = kx_unlz4(in, plen - 4, buf, olen);
		break;
	}
	if (ret) {
		vfree(buf);
		return ret;
	}
	*out = buf;
	*out_len = olen;
	return 0;
}
