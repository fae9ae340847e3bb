// SPDX-License-Identifier: GPL-2.0
/*
 * iomem.c - find a named range in the text of /proc/iomem (iomem.h).
 *
 * The format is the kernel's r_show(): two spaces of indent per level,
 * then "%0*llx-%0*llx : %s" and a newline.  Addresses are at most 16 hex
 * digits; anything else on a line makes it malformed.
 */
#include "iomem.h"

/* Parse hex digits at *@p (at most 16, at least 1) up to @e. */
static bool kx_iomem_hex(const char **p, const char *e, u64 *val)
{
	unsigned int n = 0;
	u64 v = 0;

	for (; *p < e && n < 17; (*p)++, n++) {
		char c = **p;
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			break;
		v = (v << 4) | d;
	}
	*val = v;
	return n >= 1 && n <= 16;
}

/* One line [@p, @e): 1 if it is @name (bounds set), 0 if not, or -EINVAL. */
static int kx_iomem_line(const char *p, const char *e, const char *name,
			 u64 *start, u64 *end)
{
	size_t nlen = strlen(name);
	const char *sep;

	/* The name first: a malformed line of another name is no concern. */
	for (sep = p; sep + 3 <= e; sep++)
		if (sep[0] == ' ' && sep[1] == ':' && sep[2] == ' ')
			break;
	if (sep + 3 > e || (size_t)(e - (sep + 3)) != nlen ||
	    memcmp(sep + 3, name, nlen))
		return 0;

	while (p < sep && *p == ' ')
		p++;
	if (!kx_iomem_hex(&p, sep, start) || p >= sep || *p++ != '-' ||
	    !kx_iomem_hex(&p, sep, end) || p != sep)
		return -EINVAL;
	if (*end < *start || (!*start && !*end))
		return -EINVAL;
	return 1;
}

int kx_iomem_find(const char *text, size_t len, const char *name,
		  u64 *start, u64 *end)
{
	const char *p = text, *e = text + len;

	while (p < e) {
		const char *nl = memchr(p, '\n', e - p);
		const char *le = nl ? nl : e;
		int ret = kx_iomem_line(p, le, name, start, end);

		if (ret)
			return ret < 0 ? ret : 0;
		p = nl ? nl + 1 : e;
	}
	return -ENOENT;
}
