// SPDX-License-Identifier: GPL-2.0
/*
 * vmcore-check - check, inside a crash kernel, that /proc/vmcore describes
 * the kernel that crashed.  Built static and run in the QEMU guest by the
 * crash test cases.
 *
 *   vmcore-check [--cpus N] [--osrelease STR] [--ip-range LO-HI]
 *                [--ram-bytes N] [FILE]
 *
 * Prints what it finds, one "vmcore: ..." line per fact, then exits 0 when
 * every requested check holds, 1 otherwise (each failure named on a line
 * "vmcore: FAIL ...").  Checks:
 *   - an ELF64 core file of this machine;
 *   --cpus       exactly N NT_PRSTATUS notes, each with a kernel-space
 *                instruction pointer and a non-zero stack pointer;
 *   --osrelease  the VMCOREINFO note's OSRELEASE equals STR;
 *   --ip-range   one CPU's instruction pointer lies in [LO, HI) (hex): the
 *                panicking CPU, inside the code that crashed;
 *   --ram-bytes  the PT_LOAD segments of RAM cover N bytes, within 1%;
 *                the PT_LOAD of the kernel image at its own virtual
 *                address (which the kernel adds, and vmcore-dmesg needs)
 *                lies inside RAM and is not counted.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__x86_64__)
#define KX_MACHINE	EM_X86_64
/* __START_KERNEL_map: the kernel image mapping, not the linear map */
#define KX_IMAGE_VA	0xffffffff80000000ULL
/* struct elf_prstatus: pr_reg at 112; user_regs_struct: rip 16, rsp 19 */
#define KX_PR_REG	112
#define KX_REG_IP	16
#define KX_REG_SP	19
#elif defined(__aarch64__)
#define KX_MACHINE	EM_AARCH64
/* the kernel image mapping, below the linear map with 48-bit VA */
#define KX_IMAGE_VA	0xffff800080000000ULL
/* struct elf_prstatus: pr_reg at 112; user_pt_regs: x0-x30, sp, pc */
#define KX_PR_REG	112
#define KX_REG_IP	32
#define KX_REG_SP	31
#else
#error "vmcore-check: unsupported architecture"
#endif

static int failures;

static void fail(const char *fmt, const char *what, unsigned long long v)
{
	printf("vmcore: FAIL ");
	printf(fmt, what, v);
	printf("\n");
	failures++;
}

static int read_at(int fd, off_t off, void *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len, off);

	return n == (ssize_t)len ? 0 : -1;
}

struct expect {
	long cpus;
	const char *osrelease;
	uint64_t ip_lo, ip_hi;
	uint64_t ram_bytes;
};

static void check_prstatus(const unsigned char *desc, size_t len, int idx,
			   const struct expect *ex, int *ip_hits)
{
	uint64_t ip, sp;

	if (len < KX_PR_REG + (KX_REG_IP + 1) * 8) {
		fail("%s note %llu too short", "NT_PRSTATUS", idx);
		return;
	}
	memcpy(&ip, desc + KX_PR_REG + KX_REG_IP * 8, 8);
	memcpy(&sp, desc + KX_PR_REG + KX_REG_SP * 8, 8);
	printf("vmcore: cpu-note %d ip=0x%016" PRIx64 " sp=0x%016" PRIx64 "\n",
	       idx, ip, sp);
	if (ip < 0xffff800000000000ULL)
		fail("%s %llu: instruction pointer not in the kernel",
		     "NT_PRSTATUS", idx);
	if (!sp)
		fail("%s %llu: zero stack pointer", "NT_PRSTATUS", idx);
	if (ex->ip_hi && ip >= ex->ip_lo && ip < ex->ip_hi)
		(*ip_hits)++;
}

static void check_vmcoreinfo(const char *desc, size_t len,
			     const struct expect *ex, int *seen)
{
	const char *p = desc, *end = desc + len;

	*seen = 1;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (l > 10 && !strncmp(p, "OSRELEASE=", 10)) {
			printf("vmcore: osrelease %.*s\n", (int)(l - 10), p + 10);
			if (ex->osrelease &&
			    (strlen(ex->osrelease) != l - 10 ||
			     strncmp(ex->osrelease, p + 10, l - 10)))
				fail("%s does not match %llu", "OSRELEASE", 0);
			return;
		}
		p += l + 1;
	}
	fail("%s: no OSRELEASE%llu", "VMCOREINFO", 0);
}

/* Walk the notes of one PT_NOTE segment. */
static void walk_notes(const unsigned char *buf, size_t len,
		       const struct expect *ex, int *nprs, int *ip_hits,
		       int *vmci)
{
	size_t off = 0;

	while (off + sizeof(Elf64_Nhdr) <= len) {
		const Elf64_Nhdr *n = (const void *)(buf + off);
		size_t name = off + sizeof(*n);
		size_t desc = name + ((n->n_namesz + 3) & ~3U);
		size_t next = desc + ((n->n_descsz + 3) & ~3U);

		if (!n->n_namesz && !n->n_descsz)
			break;
		if (next > len)
			break;
		if (n->n_type == NT_PRSTATUS && n->n_namesz == 5 &&
		    !memcmp(buf + name, "CORE", 5))
			check_prstatus(buf + desc, n->n_descsz, (*nprs)++, ex,
				       ip_hits);
		else if (n->n_namesz == 11 && !memcmp(buf + name, "VMCOREINFO", 11))
			check_vmcoreinfo((const char *)buf + desc, n->n_descsz,
					 ex, vmci);
		off = next;
	}
}

int main(int argc, char **argv)
{
	struct expect ex = { .cpus = -1 };
	const char *path = "/proc/vmcore";
	int nprs = 0, ip_hits = 0, vmci = 0, nload = 0, nimage = 0, i, fd;
	uint64_t load_bytes = 0;
	Elf64_Ehdr eh;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--cpus") && i + 1 < argc)
			ex.cpus = strtol(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--osrelease") && i + 1 < argc)
			ex.osrelease = argv[++i];
		else if (!strcmp(argv[i], "--ip-range") && i + 1 < argc)
			sscanf(argv[++i], "%" SCNx64 "-%" SCNx64, &ex.ip_lo,
			       &ex.ip_hi);
		else if (!strcmp(argv[i], "--ram-bytes") && i + 1 < argc)
			ex.ram_bytes = strtoull(argv[++i], NULL, 0);
		else if (argv[i][0] != '-')
			path = argv[i];
		else {
			fprintf(stderr, "usage: vmcore-check [--cpus N] [--osrelease STR] [--ip-range LO-HI] [--ram-bytes N] [FILE]\n");
			return 2;
		}
	}

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		printf("vmcore: FAIL cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (read_at(fd, 0, &eh, sizeof(eh)) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_type != ET_CORE ||
	    eh.e_machine != KX_MACHINE) {
		printf("vmcore: FAIL not an ELF64 core file of this machine\n");
		return 1;
	}
	for (i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		unsigned char *buf;

		if (read_at(fd, eh.e_phoff + (off_t)i * eh.e_phentsize, &ph,
			    sizeof(ph)))
			break;
		if (ph.p_type == PT_LOAD && ph.p_vaddr >= KX_IMAGE_VA) {
			nimage++;
		} else if (ph.p_type == PT_LOAD) {
			nload++;
			load_bytes += ph.p_memsz;
		} else if (ph.p_type == PT_NOTE && ph.p_filesz < (1 << 24)) {
			buf = malloc(ph.p_filesz);
			if (buf && !read_at(fd, ph.p_offset, buf, ph.p_filesz))
				walk_notes(buf, ph.p_filesz, &ex, &nprs,
					   &ip_hits, &vmci);
			free(buf);
		}
	}
	printf("vmcore: prstatus-notes %d\n", nprs);
	printf("vmcore: pt-load %d segments of RAM, %" PRIu64 " bytes; %d of the kernel image\n",
	       nload, load_bytes, nimage);

	if (ex.cpus >= 0 && nprs != ex.cpus)
		fail("%s: expected %llu", "NT_PRSTATUS notes", ex.cpus);
	if (!vmci)
		fail("%s note missing%.0llu", "VMCOREINFO", 0);
	if (ex.ip_hi && !ip_hits)
		fail("%s: no CPU's instruction pointer in the given range%.0llu",
		     "NT_PRSTATUS", 0);
	if (ex.ram_bytes) {
		uint64_t d = load_bytes > ex.ram_bytes ?
			     load_bytes - ex.ram_bytes : ex.ram_bytes - load_bytes;

		if (d * 100 > ex.ram_bytes)
			fail("%s: PT_LOAD bytes off the expected %llu by more than 1%%",
			     "coverage", ex.ram_bytes);
	}
	printf("vmcore: %s\n", failures ? "FAIL" : "OK");
	return failures ? 1 : 0;
}
