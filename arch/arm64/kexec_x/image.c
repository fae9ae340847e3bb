// SPDX-License-Identifier: GPL-2.0
/*
 * image.c - the arm64 Image header and the placement of Image, initrd and
 * DTB (image.h), shared by the module and the loader.
 */
#include "image.h"

static int kx_arm64_fail(const char **why, int err, const char *msg)
{
	*why = msg;
	return err;
}

bool kx_arm64_is_gzip(const void *buf, size_t len)
{
	const u8 *b = buf;

	return len >= 2 && b[0] == 0x1f && b[1] == 0x8b;
}

int kx_arm64_image_parse(const void *buf, size_t len, unsigned int granules,
			 struct kx_arm64_image *img, const char **why)
{
	static const unsigned int gran[] = {
		0, KX_ARM64_GRAN_4K, KX_ARM64_GRAN_16K, KX_ARM64_GRAN_64K
	};
	const u8 *b = buf;

	memset(img, 0, sizeof(*img));
	if (kx_arm64_is_gzip(buf, len))
		return kx_arm64_fail(why, -ENOEXEC,
				     "gzip-compressed Image: decompress it first");
	if (!buf || len < KX_ARM64_HDR_SIZE)
		return kx_arm64_fail(why, -ENOEXEC,
				     "shorter than the arm64 Image header");
	if (kx_get_le32(b + KX_ARM64_MAGIC_OFFSET) != KX_ARM64_MAGIC)
		return kx_arm64_fail(why, -ENOEXEC,
				     "no arm64 Image magic (ARM\\x64 at 0x38)");
	img->text_offset = kx_get_le64(b + 8);
	img->image_size = kx_get_le64(b + 16);
	img->flags = kx_get_le64(b + 24);
	img->granule = gran[(img->flags & KX_ARM64_FLAG_PAGE_MASK) >>
			    KX_ARM64_FLAG_PAGE_SHIFT];
	img->phys_any = img->flags & KX_ARM64_FLAG_PHYS_ANY;
	if (!img->image_size)
		return kx_arm64_fail(why, -ENOEXEC,
				     "image_size 0: a kernel older than 3.17");
	if (img->image_size > KX_ARM64_IMAGE_MAX)
		return kx_arm64_fail(why, -ENOEXEC, "image_size above 1 GiB");
	if (img->flags & KX_ARM64_FLAG_BE)
		return kx_arm64_fail(why, -ENOEXEC, "big-endian kernel");
	if (img->granule && !(img->granule & granules))
		return kx_arm64_fail(why, -ENOEXEC,
				     "the CPUs do not support the kernel's page size");
	if (!IS_ALIGNED(img->text_offset, KX_PAGE_SIZE) ||
	    img->text_offset >= KX_ARM64_KERNEL_ALIGN)
		return kx_arm64_fail(why, -ENOEXEC,
				     "text_offset not page aligned or not below 2 MiB");
	if (len > img->image_size)
		return kx_arm64_fail(why, -ENOEXEC,
				     "file longer than the header's image_size");
	return 0;
}

/* Initrd and DTB, once the kernel holds [@base, @base + @span). */
static int kx_arm64_place_rest(const struct kx_arm64_file_in *in,
			       struct kx_arm64_file_out *out,
			       struct kx_place *p, u64 base, u64 span)
{
	u64 win = ALIGN_DOWN(base, KX_ARM64_INITRD_WINDOW_ALIGN);
	struct kx_hole h = {
		.size = ALIGN(in->initrd_len, KX_PAGE_SIZE),
		.align = KX_PAGE_SIZE,
		.min = base + span,
		.max = win + KX_ARM64_INITRD_WINDOW,
	};
	int ret;

	if (in->initrd_len) {
		ret = kx_place_alloc(p, &h, &out->initrd_mem);
		if (ret) {
			h.min = win;
			ret = kx_place_alloc(p, &h, &out->initrd_mem);
		}
		if (ret)
			return kx_arm64_fail(&out->why, ret,
					     "no RAM hole fits the initrd near the kernel");
		out->initrd_memsz = h.size;
	}
	h = (struct kx_hole) {
		.size = ALIGN(in->dtb_len, KX_PAGE_SIZE),
		.align = KX_ARM64_DTB_ALIGN,
		.max = ~0ULL,
		.top_down = true,
	};
	ret = kx_place_alloc(p, &h, &out->dtb_mem);
	if (ret)
		return kx_arm64_fail(&out->why, ret, "no RAM hole fits the DTB");
	out->dtb_memsz = h.size;
	return 0;
}

int kx_arm64_file_build(const struct kx_arm64_file_in *in,
			struct kx_arm64_file_out *out)
{
	struct kx_place p;
	struct kx_hole kh = { .align = KX_ARM64_KERNEL_ALIGN, .max = ~0ULL };
	unsigned int tries;
	u64 base;
	int ret;

	memset(out, 0, sizeof(*out));
	out->why = "";
	ret = kx_arm64_image_parse(in->kernel, in->kernel_len, in->granules,
				   &out->img, &out->why);
	if (ret)
		return ret;
	if (!in->ram || !in->nr_ram)
		return kx_arm64_fail(&out->why, -EINVAL, "no RAM to place in");
	if (!in->dtb_len || in->dtb_len > KEXEC_X_DTB_MAX)
		return kx_arm64_fail(&out->why, -EINVAL,
				     "DTB size 0 or above KEXEC_X_DTB_MAX");
	if (in->initrd_len > KX_ARM64_INITRD_WINDOW - KX_ARM64_IMAGE_MAX -
	    KX_ARM64_KERNEL_ALIGN)
		return kx_arm64_fail(&out->why, -EINVAL,
				     "initrd too large for the 32 GiB window");
	out->kernel_memsz = ALIGN(out->img.image_size, KX_PAGE_SIZE);
	kh.size = out->img.text_offset + out->kernel_memsz;
	if (out->img.phys_any)
		kh.max = KX_ARM64_PHYS_LIMIT;

	for (tries = 0; tries < KX_ARM64_KERNEL_TRIES; tries++) {
		kx_place_init(&p, in->ram, in->nr_ram, in->avoid,
			      in->nr_avoid);
		ret = kx_place_alloc(&p, &kh, &base);
		if (ret)
			break;
		out->initrd_mem = 0;
		out->initrd_memsz = 0;
		ret = kx_arm64_place_rest(in, out, &p, base, kh.size);
		if (!ret) {
			out->kernel_mem = base + out->img.text_offset;
			out->why = "";
			return 0;
		}
		/* The next kernel hole, past this one. */
		kh.min = base + kh.size;
	}
	if (!tries)
		return kx_arm64_fail(&out->why, -EADDRNOTAVAIL,
				     "no RAM hole fits the kernel");
	/* @out->why says what did not fit beside the last kernel hole. */
	return -EADDRNOTAVAIL;
}
