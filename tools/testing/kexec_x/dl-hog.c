// SPDX-License-Identifier: GPL-2.0
/*
 * dl-hog - hold SCHED_DEADLINE bandwidth, so that a CPU cannot go offline.
 *
 *   dl-hog N RUNTIME_US PERIOD_US
 *
 * Starts N processes, each a SCHED_DEADLINE reservation of RUNTIME_US in
 * every PERIOD_US, sleeping.  Admission control keeps the reserved
 * bandwidth within the CPUs that are online, so while two reservations of
 * 90% exist on a 2-CPU machine the kernel refuses to take a CPU offline
 * (-EBUSY from the hotplug notifier of the scheduler).  Prints "ready"
 * once all hold their reservation, then waits; the children die with it
 * (SIGTERM or SIGKILL).  For kexec_x's arm64 'ebusy' case.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SCHED_DEADLINE
#define SCHED_DEADLINE 6
#endif

/* include/uapi/linux/sched/types.h; glibc 2.36 does not have it. */
struct kx_sched_attr {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
};

static int hold(uint64_t runtime_us, uint64_t period_us)
{
	struct kx_sched_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.sched_policy = SCHED_DEADLINE;
	a.sched_runtime = runtime_us * 1000;
	a.sched_deadline = period_us * 1000;
	a.sched_period = period_us * 1000;
	return syscall(SYS_sched_setattr, 0, &a, 0);
}

int main(int argc, char **argv)
{
	uint64_t runtime, period;
	int n, i, fds[2];
	char c;

	if (argc != 4) {
		fprintf(stderr, "usage: dl-hog N RUNTIME_US PERIOD_US\n");
		return 2;
	}
	n = atoi(argv[1]);
	runtime = strtoull(argv[2], NULL, 0);
	period = strtoull(argv[3], NULL, 0);
	if (n < 1 || !runtime || runtime > period || pipe(fds))
		return 2;
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("dl-hog: fork");
			return 1;
		}
		if (!pid) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			c = hold(runtime, period) ? 'e' : 'k';
			if (c == 'e')
				perror("dl-hog: sched_setattr(SCHED_DEADLINE)");
			if (write(fds[1], &c, 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
	}
	for (i = 0; i < n; i++) {
		if (read(fds[0], &c, 1) != 1 || c != 'k') {
			fprintf(stderr, "dl-hog: reservation %d failed\n", i);
			return 1;
		}
	}
	printf("ready: %d reservations of %llu/%llu us\n", n,
	       (unsigned long long)runtime, (unsigned long long)period);
	fflush(stdout);
	for (;;)
		pause();
}
