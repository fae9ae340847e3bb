# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2154 # stage, tool, run_id: set by /init
# shutdown: the systemd-shutdown hook (samples/kexec_x/systemd/
# kexec_x.shutdown, installed in the image as systemd installs it).
# systemd itself does not run in this busybox guest: the hook is invoked
# the way systemd-shutdown invokes the files of
# /usr/lib/systemd/system-shutdown, once the system is down: each
# executable, with the verb as its only argument.
#   stage 1: with nothing loaded, "kexec" does nothing; with an image
#            loaded, "halt", "poweroff" and "reboot" do nothing, a missing
#            loader fails loudly, and "kexec" boots stage 2.
HOOKS=/usr/lib/systemd/system-shutdown

# hooks VERB: what systemd-shutdown does before its reboot().
hooks() {
	for h in "$HOOKS"/*; do
		[ -x "$h" ] && "$h" "$1"
	done
}

gcase_shutdown() {
	[ "$stage" = 1 ] || return 0
	if [ "$tool" != kexec_x ]; then
		load kt
		exec_next kt
	fi
	[ -x $HOOKS/kexec_x.shutdown ] || fail "no $HOOKS/kexec_x.shutdown in the image"
	export KEXEC_X=/kx/kexec_x
	setup
	hooks kexec || fail "the hook failed with nothing loaded"
	kmsg "shutdown stage=$stage: 'kexec' with nothing loaded: nothing done"
	load file
	for verb in halt poweroff reboot; do
		hooks $verb || fail "the hook failed for '$verb'"
	done
	[ "$(cat /sys/kernel/kexec_x/loaded)" = 1 ] || fail "the image went away"
	kmsg "shutdown stage=$stage: halt, poweroff, reboot: nothing done"
	if KEXEC_X=/kx/no-such-loader $HOOKS/kexec_x.shutdown kexec; then
		fail "the hook succeeded without a loader"
	fi
	dmesg | grep -q "kexec_x.shutdown: kexec_x has an image loaded, but no kexec_x loader" ||
		fail "the hook did not say why it failed"
	kmsg "exec stage=$stage run=$run_id: $HOOKS/* kexec"
	hooks kexec
	fail "the systemd-shutdown hooks returned for 'kexec' with an image loaded"
}
