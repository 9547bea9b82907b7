
/*
 * Added by vmctl's kernel build (images/tiny/kernel/build.sh appends this
 * file to arch/x86/kernel/apic/apic.c): the local APIC timer's period, in
 * bus clocks per jiffy, from the command line ("lapic_timer_period=N").
 *
 * Without it the kernel measures the period at every boot, counting the
 * timer against the PM timer for 100 ms (calibrate_APIC_clock); under
 * software emulation that is about a tenth of a vmctl VM's boot.  QEMU's APIC
 * timer always counts at 1 GHz (and KVM's too), so with HZ=100 the period is
 * 10000000: what the calibration measures anyway ("calibration result:
 * 10000136" with apic=verbose).  A period given this way is taken as is, as
 * one that the TSC code reads from CPUID leaf 0x15; with none given, the
 * kernel calibrates as before.
 */
static int __init vmctl_lapic_timer_period(char *arg)
{
	unsigned int period;

	if (!arg || kstrtouint(arg, 0, &period) || period < 1000000 / HZ)
		return -EINVAL;
	lapic_timer_period = period;
	return 0;
}
early_param("lapic_timer_period", vmctl_lapic_timer_period);
