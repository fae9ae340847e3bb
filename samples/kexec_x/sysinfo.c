// SPDX-License-Identifier: GPL-2.0
/*
 * sysinfo.c - what the kexec_x loader reads of the running system: whole
 * files, /proc/iomem and /proc/cmdline.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader.h"

const char *kx_sysroot = "";

const char *kx_sys_path(const char *path)
{
	static char bufs[4][1024];
	static unsigned int next;
	char *buf = bufs[next++ % ARRAY_SIZE(bufs)];

	snprintf(buf, sizeof(bufs[0]), "%s%s", kx_sysroot, path);
	return buf;
}

/* Read up to @len bytes from @fd into @buf, retrying short reads. */
static ssize_t kx_read_all(int fd, void *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = read(fd, (char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += n;
	}
	return done;
}

int kx_read_file(struct kx_file *f)
{
	struct stat st;
	ssize_t n;
	int fd, err;

	fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		kx_err("%s: %s", f->path, strerror(-err));
		return err;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		err = S_ISREG(st.st_mode) ? -errno : -EINVAL;
		kx_err("%s: not a regular file", f->path);
		goto out;
	}
	f->len = st.st_size;
	f->data = malloc(f->len ? f->len : 1);
	if (!f->data) {
		err = -ENOMEM;
		kx_err("%s: cannot allocate %zu bytes", f->path, f->len);
		goto out;
	}
	n = kx_read_all(fd, f->data, f->len);
	if (n < 0 || (size_t)n != f->len) {
		err = n < 0 ? (int)n : -EIO;
		kx_err("%s: read failed: %s", f->path,
		       n < 0 ? strerror(-n) : "file shrank while read");
		kx_free_file(f);
		goto out;
	}
	err = 0;
out:
	close(fd);
	return err;
}

void kx_free_file(struct kx_file *f)
{
	free(f->data);
	f->data = NULL;
	f->len = 0;
}

int kx_read_text(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = kx_read_all(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return n;
	buf[n] = '\0';
	return n;
}

/*
 * Parse one /proc/iomem line, "  00100000-bfffffff : System RAM": its
 * nesting depth (two spaces a level), inclusive range and name.
 */
static bool kx_iomem_line(char *line, unsigned int *depth, u64 *start,
			  u64 *last, char **name)
{
	char *p = line, *end;

	while (*p == ' ')
		p++;
	*depth = (p - line) / 2;
	*start = strtoull(p, &end, 16);
	if (end == p || *end != '-')
		return false;
	p = end + 1;
	*last = strtoull(p, &end, 16);
	if (end == p || strncmp(end, " : ", 3))
		return false;
	*name = end + 3;
	end = strchr(*name, '\n');
	if (end)
		*end = '\0';
	return true;
}

/* Call @fn for the lines of /proc/iomem at depth @want (-1: every line). */
static int kx_iomem_scan(int want,
			 void (*fn)(void *ctx, u64 start, u64 end,
				    const char *name),
			 void *ctx)
{
	const char *path = kx_sys_path("/proc/iomem");
	unsigned int depth, lines = 0, zero = 0;
	char line[256], *name;
	u64 start, last;
	FILE *f;

	f = fopen(path, "re");
	if (!f) {
		int err = -errno;

		kx_err("%s: %s", path, strerror(-err));
		return err;
	}
	while (fgets(line, sizeof(line), f)) {
		if (!kx_iomem_line(line, &depth, &start, &last, &name))
			continue;
		lines++;
		zero += !start && !last;
		if ((want < 0 || depth == (unsigned int)want) && last >= start)
			fn(ctx, start, last + 1, name);
	}
	fclose(f);
	if (lines && zero == lines) {
		kx_err("%s shows no addresses (run as root)", path);
		return -EPERM;
	}
	return 0;
}

int kx_iomem_walk(void (*fn)(void *ctx, u64 start, u64 end,
			     const char *name),
		  void *ctx)
{
	return kx_iomem_scan(0, fn, ctx);
}

int kx_iomem_walk_all(void (*fn)(void *ctx, u64 start, u64 end,
				 const char *name),
		      void *ctx)
{
	return kx_iomem_scan(-1, fn, ctx);
}

struct kx_iomem_ctx {
	struct kx_range *ram;
	unsigned int nr_ram;
	struct kx_range *crash;
	unsigned int nr_crash;
	bool overflow;
};

/* Append whole pages of [start, end) to @r, merging with the last one. */
static bool kx_add_pages(struct kx_range *r, unsigned int *nr,
			 unsigned int max, u64 start, u64 end)
{
	start = ALIGN(start, KX_PAGE_SIZE);
	end = ALIGN_DOWN(end, KX_PAGE_SIZE);
	if (start >= end)
		return true;
	if (*nr && r[*nr - 1].end == start) {
		r[*nr - 1].end = end;
		return true;
	}
	if (*nr >= max)
		return false;
	r[*nr].start = start;
	r[*nr].end = end;
	(*nr)++;
	return true;
}

static void kx_iomem_crash_line(void *ctx, u64 start, u64 end, const char *name)
{
	struct kx_iomem_ctx *c = ctx;

	if (strcmp(name, "Crash kernel"))
		return;
	if (!kx_add_pages(c->crash, &c->nr_crash, KX_MAX_CRASH, start, end))
		c->overflow = true;
}

static void kx_iomem_ram_line(void *ctx, u64 start, u64 end,
			      const char *name)
{
	struct kx_iomem_ctx *c = ctx;

	if (strcmp(name, "System RAM"))
		return;
	if (!kx_add_pages(c->ram, &c->nr_ram, KX_MAX_RAM, start, end))
		c->overflow = true;
}

int kx_iomem_ram(struct kx_range *ram, unsigned int *nr_ram,
		 struct kx_range *crash, unsigned int *nr_crash)
{
	struct kx_iomem_ctx c = { .ram = ram, .crash = crash };
	int ret;

	ret = kx_iomem_scan(0, kx_iomem_ram_line, &c);
	if (!ret)
		ret = kx_iomem_scan(-1, kx_iomem_crash_line, &c);
	if (ret)
		return ret;
	if (c.overflow) {
		kx_err("%s: more than %d RAM or %d crash ranges",
		       kx_sys_path("/proc/iomem"), KX_MAX_RAM, KX_MAX_CRASH);
		return -E2BIG;
	}
	if (!c.nr_ram) {
		kx_err("%s: no System RAM", kx_sys_path("/proc/iomem"));
		return -ENOENT;
	}
	*nr_ram = c.nr_ram;
	*nr_crash = c.nr_crash;
	return 0;
}

/* True when @tok (up to @len bytes) is "NAME=..." for @key "NAME=". */
static bool kx_tok_is(const char *tok, size_t len, const char *key)
{
	size_t k = strlen(key);

	return len >= k && !strncmp(tok, key, k);
}

/* Length of the token at @p: up to a blank outside double quotes. */
static size_t kx_tok_len(const char *p)
{
	bool quoted = false;
	size_t n = 0;

	while (p[n] && (quoted || (p[n] != ' ' && p[n] != '\t' &&
				   p[n] != '\n'))) {
		if (p[n] == '"')
			quoted = !quoted;
		n++;
	}
	return n;
}

char *kx_reuse_cmdline(bool crash)
{
	const char *path = kx_sys_path("/proc/cmdline");
	char *in, *out, *o, *p;
	size_t len;
	int n;

	in = malloc(KEXEC_X_CMDLINE_MAX * 2);
	out = malloc(KEXEC_X_CMDLINE_MAX * 2);
	if (!in || !out)
		goto fail;
	n = kx_read_text(path, in, KEXEC_X_CMDLINE_MAX * 2);
	if (n < 0) {
		kx_err("%s: %s", path, strerror(-n));
		goto fail;
	}
	o = out;
	for (p = in; *p; p += len) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		len = kx_tok_len(p);
		if (!len)
			break;
		if (kx_tok_is(p, len, "BOOT_IMAGE=") ||
		    (crash && kx_tok_is(p, len, "crashkernel=")))
			continue;
		if (o != out)
			*o++ = ' ';
		memcpy(o, p, len);
		o += len;
	}
	*o = '\0';
	free(in);
	return out;
fail:
	free(in);
	free(out);
	return NULL;
}
