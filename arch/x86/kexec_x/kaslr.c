// SPDX-License-Identifier: GPL-2.0
/*
 * kaslr.c - virtual KASLR for a kernel unpacked at load (see kaslr.h).
 */
#include "kx_lib.h"
#include "kaslr.h"

u64 kx_x86_kaslr_delta(u64 base, u64 size, u64 align, u64 random)
{
	u64 slots;

	if (!align || (align & (align - 1)) || base > KX_X86_KERNEL_IMAGE_SIZE ||
	    size > KX_X86_KERNEL_IMAGE_SIZE - base)
		return 0;
	/* find_random_virt_addr(): the slots from @base that hold @size. */
	slots = 1 + (KX_X86_KERNEL_IMAGE_SIZE - base - size) / align;
	return (random % slots) * align;
}

/* Image offset of the place a table word names, or U64_MAX if outside. */
static u64 kx_reloc_off(u32 word, u64 base, u64 image_len, unsigned int width)
{
	u64 va = (u64)(s64)(s32)word, start = KX_X86_START_KERNEL_MAP + base;

	if (va < start || va - start > image_len ||
	    image_len - (va - start) < width)
		return ~0ULL;
	return va - start;
}

/*
 * One list, from word @*i of @table down to its zero terminator: check
 * (and with @img, patch) every place; leave @*i below the terminator.
 * @kind: 0 = 32-bit (+delta), 1 = inverse 32-bit (-delta), 2 = 64-bit.
 */
static int kx_relocs_list(const u8 *table, s64 *i, int kind, u8 *img,
			  u64 image_len, u64 base, u64 delta, u32 *count)
{
	unsigned int width = kind == 2 ? 8 : 4;
	u32 word;
	u64 off;

	for (*count = 0; *i >= 0; (*i)--, (*count)++) {
		word = kx_get_le32(table + *i * 4);
		if (!word)
			break;
		off = kx_reloc_off(word, base, image_len, width);
		if (off == ~0ULL)
			return -ENOEXEC;
		if (!img)
			continue;
		if (kind == 0)
			kx_put_le32(img + off, kx_get_le32(img + off) + (u32)delta);
		else if (kind == 1)
			kx_put_le32(img + off, kx_get_le32(img + off) - (u32)delta);
		else
			kx_put_le64(img + off, kx_get_le64(img + off) + delta);
	}
	if (*i < 0)
		return -ENOEXEC;	/* ran off the start: no terminator */
	(*i)--;
	return 0;
}

/* Walk the three lists; patch when @img is not NULL. */
static const char *kx_relocs_walk(u8 *img, u64 image_len, u64 base,
				  const u8 *table, u64 table_len, u64 delta,
				  struct kx_x86_relocs *r)
{
	s64 i = (s64)(table_len / 4) - 1;

	if (kx_relocs_list(table, &i, 0, img, image_len, base, delta, &r->nr32))
		return "a 32-bit relocation outside the kernel, or no end";
	if (kx_relocs_list(table, &i, 1, img, image_len, base, delta, &r->nr_inv))
		return "an inverse 32-bit relocation outside the kernel, or no end";
	if (kx_relocs_list(table, &i, 2, img, image_len, base, delta, &r->nr64))
		return "a 64-bit relocation outside the kernel, or no end";
	/* The 64-bit list's terminator is the table's first word. */
	if (i != -1)
		return "relocation table does not start where the kernel ends";
	return NULL;
}

int kx_x86_relocs_apply(u8 *image, u64 image_len, u64 base,
			const u8 *table, u64 table_len, u64 delta,
			struct kx_x86_relocs *r, const char **why)
{
	const char *reason = NULL;

	memset(r, 0, sizeof(*r));
	if (table_len < 12 || table_len % 4 || table_len / 4 > 0x7fffffffULL)
		reason = "relocation table of an odd size";
	else
		reason = kx_relocs_walk(NULL, image_len, base, table, table_len,
					delta, r);
	if (!reason && delta)
		kx_relocs_walk(image, image_len, base, table, table_len, delta, r);
	if (why)
		*why = reason;
	if (reason) {
		memset(r, 0, sizeof(*r));
		return -ENOEXEC;
	}
	return 0;
}

static bool kx_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

bool kx_x86_cmdline_nokaslr(const char *cmdline, size_t len)
{
	static const char word[] = "nokaslr";
	size_t i = 0, start;

	if (!cmdline)
		return false;
	while (i < len && cmdline[i]) {
		while (i < len && kx_is_space(cmdline[i]))
			i++;
		start = i;
		while (i < len && cmdline[i] && !kx_is_space(cmdline[i]))
			i++;
		if (i - start == sizeof(word) - 1 &&
		    !memcmp(cmdline + start, word, sizeof(word) - 1))
			return true;
	}
	return false;
}
