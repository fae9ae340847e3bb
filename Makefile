# SPDX-License-Identifier: GPL-2.0
#
# make                      kexec_x.ko and the loader, for the running kernel
# make KDIR=<headers dir>   against any kernel headers or build tree
# make KDIR=... ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
# make test                 every test, in QEMU (see README.md)
# make demo                 the demo, in QEMU

KDIR ?= /lib/modules/$(shell uname -r)/build

all: modules loader

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

loader:
	$(MAKE) -C samples/kexec_x

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C samples/kexec_x clean

test:
	tools/testing/kexec_x/run-tests.sh

demo:
	tools/testing/kexec_x/demo.sh

.PHONY: all modules loader clean test demo
