// Package vmtest runs shell scripts as root inside a throwaway virtual
// machine that boots Debian's linux-image-amd64 kernel, for tests of
// kernel-facing code the host kernel cannot run (IPVS: the host has no
// ip_vs and cannot load modules).
//
// The machine is qemu-system-x86_64 (-machine pc, software emulation, no
// network device) booted PVH-style from the kernel's ELF vmlinux with a
// cached base initramfs built by scripts/vm/build.sh into .cache/vm/:
// busybox-static (every applet, httpd and nc included), the ip_vs module
// with every scheduler (rr wrr lc wlc lblc lblcr dh sh mh sed nq fo ovf),
// dummy (numdummies=0), veth, macvlan, ipip, ip_gre, fou, sit, ip6_tunnel
// and their dependencies (all loaded at boot), ipvsadm, stock keepalived
// 2.2.7, genhash, iproute2's ip and ss with their shared libraries. Each Run appends a second
// cpio segment holding the Spec's files and script, boots, and reads the
// script's output (stdout and stderr together) and exit status back from
// a second serial port. A boot takes about 3 s; nothing is shared between
// runs, and runs may proceed in parallel (each uses its own temporary
// directory).
//
// Typical use in a test:
//
//	func TestTable(t *testing.T) {
//		vmtest.Require(t) // skips when not root and CI != "true"
//		bin := vmtest.BuildGo(t, "github.com/gokeepalived/keepalived/cmd/keepalived")
//		res, err := vmtest.Run(context.Background(), vmtest.Spec{
//			Files: map[string]vmtest.File{
//				"/usr/local/bin/keepalived": vmtest.FromHost(bin),
//				"/etc/keepalived/keepalived.conf": vmtest.FromBytes(conf, 0o644),
//			},
//			Script: "ipvsadm -A -t 10.0.0.1:80 -s rr && ipvsadm -S -n",
//		})
//		// res.Output, res.ExitStatus, res.Duration; res.Console holds
//		// the kernel's console log for diagnostics.
//	}
//
// To run Go code in the guest there are two ways: BuildGo a main package
// (static, CGO_ENABLED=0) and pass it in Files, or let a test run its own
// in-guest half with RunSelf (the test binary is copied in and runs the
// same test with InGuest() true).
//
// Require (or Prepare) builds the image on first use by running
// scripts/vm/build.sh (about 10-30 s cold: it downloads the kernel package;
// well under a second when cached; a file lock makes concurrent test
// packages wait for one build); Run itself never builds. Available says
// whether the VM can run. scripts/vm/run.sh is the same Run for shell
// scripts and demos.
//
// Inside the guest: /proc, /sys, /dev, /run and /tmp are mounted, lo is up,
// the script runs with /vmtest as its working directory and PATH
// /usr/sbin:/usr/bin:/sbin:/bin. Stock keepalived is /usr/sbin/keepalived
// (run it with -n -l -D -G and -f; there is no syslog). Add interfaces with
// `ip link add NAME type dummy`. Files cannot be copied back out: print
// what the test needs, and keep it small (the serial port carries about
// 300 KB/s; compare bulky results inside the guest and print the diff).
// The guest has one CPU, 512 MB (Spec.MemoryMB) and no network device;
// everything in it disappears at power-off.
package vmtest
