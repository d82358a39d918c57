package vmtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The systemd VM: the same kernel as Run's, booted from a Debian 12 root
// disk (scripts/vm/rootfs.sh) through a small initramfs that mounts it and
// switch_roots to systemd. Its vmtest.service runs the scenario once
// multi-user.target is reached, with the output on the second serial
// port as in Run, and powers off.

// DebianTimeout bounds a RunDebian whose Spec has no Timeout: a boot to
// multi-user.target takes 10-30 s under emulation on a loaded machine.
const DebianTimeout = 5 * time.Minute

// debianScenario is where RunDebian puts the Spec's script in the root.
const debianScenario = "/vmtest/scenario.sh"

// debianOverlay is where the run's files travel in the initramfs; the
// boot init (scripts/vm/debian-init.sh) copies that tree into the root.
const debianOverlay = "/vmtest-root"

// uptimeMarker starts the first output line (scripts/vm/debian-run.sh):
// the guest's uptime when the scenario started.
const uptimeMarker = "VMTEST-UPTIME "

// debianKernelArgs are added to build.sh's kernel command line: no
// SELinux policy lookup, and no status lines on the console.
var debianKernelArgs = []string{"selinux=0", "systemd.show_status=0"}

// DebianResult is what RunDebian produced.
type DebianResult struct {
	Result
	// Boot is the guest's uptime when systemd started the scenario,
	// that is when multi-user.target was reached.
	Boot time.Duration
}

// debianImage names the cached artifacts of build.sh and rootfs.sh.
type debianImage struct {
	kernel, cmdline, initrd, rootfs string
}

func cachedDebian() (debianImage, error) {
	dir, err := cacheDir()
	if err != nil {
		return debianImage{}, err
	}
	img := debianImage{
		kernel:  filepath.Join(dir, "vmlinux"),
		cmdline: filepath.Join(dir, "cmdline"),
		initrd:  filepath.Join(dir, "debian-initrd.cpio"),
		rootfs:  filepath.Join(dir, "debian-rootfs.ext4"),
	}
	for _, f := range []string{img.kernel, img.cmdline, img.initrd, img.rootfs} {
		if !fileExists(f) {
			return debianImage{}, fmt.Errorf("vmtest: %s missing: run scripts/vm/rootfs.sh", f)
		}
	}
	return img, nil
}

// PrepareDebian builds the Debian root image if it is missing or stale by
// running scripts/vm/rootfs.sh (which builds the kernel first; cheap when
// cached, about 4 min cold with downloads), then checks that the VM can
// run.
func PrepareDebian(ctx context.Context) error {
	if err := runVMScript(ctx, "rootfs.sh"); err != nil {
		return err
	}
	if _, err := exec.LookPath(qemuBinary); err != nil {
		return fmt.Errorf("vmtest: %s not found (make deps): %w", qemuBinary, err)
	}
	_, err := cachedDebian()
	return err
}

// RequireDebian is Require for the systemd VM: it skips t when not root
// and $CI != "true", and otherwise builds the image (PrepareDebian) or
// fails t.
func RequireDebian(t testing.TB) {
	t.Helper()
	requireWith(t, PrepareDebian)
}

// RunDebian boots the Debian root (a throwaway snapshot: nothing is
// written back) with spec's files copied into it, lets systemd reach
// multi-user.target, runs spec.Script as root from /vmtest as a systemd
// service and returns its output and exit status, as Run does. Files map
// paths of the root file system (replacing what the image holds there).
// The script runs under systemd: `systemctl`, `journalctl` and units
// work, stock keepalived 2.2.7 is installed as Debian packages it, and
// D-Bus, logind and udev are masked. KernelArgs and MemoryMB apply as in
// Run.
func RunDebian(ctx context.Context, spec Spec) (DebianResult, error) {
	img, err := cachedDebian()
	if err != nil {
		return DebianResult{}, err
	}
	timeout := spec.Timeout
	if timeout <= 0 {
		timeout = DebianTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	dir, err := os.MkdirTemp("", "vmtest-debian-*")
	if err != nil {
		return DebianResult{}, fmt.Errorf("vmtest: temp dir: %w", err)
	}
	defer os.RemoveAll(dir)

	overlay, err := overlayFiles(spec)
	if err != nil {
		return DebianResult{}, err
	}
	initrd := filepath.Join(dir, "initrd")
	// writeInitrd also writes an empty /vmtest/run.sh into the
	// initramfs, outside the overlay: the boot init ignores it.
	if err := writeInitrd(initrd, img.initrd, Spec{Files: overlay}); err != nil {
		return DebianResult{}, err
	}
	outPath := filepath.Join(dir, "out")
	consolePath := filepath.Join(dir, "console")
	cmdline, err := os.ReadFile(img.cmdline)
	if err != nil {
		return DebianResult{}, fmt.Errorf("vmtest: kernel command line: %w", err)
	}
	qspec := spec
	qspec.KernelArgs = append(append([]string(nil), debianKernelArgs...), spec.KernelArgs...)
	args := qemuArgs(img.kernel, initrd, strings.TrimSpace(string(cmdline)), outPath, consolePath, qspec)
	args = append(args, "-drive", "file="+img.rootfs+",if=virtio,format=raw,snapshot=on")
	cmd := exec.CommandContext(ctx, qemuBinary, args...)
	cmd.WaitDelay = 5 * time.Second
	// snapshot=on keeps its temporary overlay in $TMPDIR: use ours.
	cmd.Env = append(os.Environ(), "TMPDIR="+dir)
	var qemuOut strings.Builder
	cmd.Stdout = &qemuOut
	cmd.Stderr = &qemuOut

	start := time.Now()
	runErr := cmd.Run()
	res := DebianResult{Result: Result{Duration: time.Since(start)}}
	res.Console = readCapped(consolePath)
	out := readCapped(outPath)

	if ctx.Err() != nil {
		return res, fmt.Errorf("vmtest: debian run did not finish within %v (%w); output:\n%s\nconsole:\n%s",
			timeout, ctx.Err(), tail(out), tail(res.Console))
	}
	if runErr != nil {
		return res, fmt.Errorf("vmtest: %s: %w: %s; console:\n%s",
			qemuBinary, runErr, strings.TrimSpace(qemuOut.String()), tail(res.Console))
	}
	output, status, ok := parseOutput(out)
	if !ok {
		return res, fmt.Errorf("vmtest: the guest gave no exit status; output:\n%s\nconsole:\n%s",
			tail(out), tail(res.Console))
	}
	res.Boot, output = parseUptime(output)
	res.Output, res.ExitStatus = output, status
	return res, nil
}

// overlayFiles maps spec's files and script to their places under
// debianOverlay in the initramfs.
func overlayFiles(spec Spec) (map[string]File, error) {
	files := make(map[string]File, len(spec.Files)+1)
	for name, f := range spec.Files {
		if !filepath.IsAbs(name) || filepath.Clean(name) != name || name == "/" {
			return nil, fmt.Errorf("vmtest: guest path %q is not absolute and clean", name)
		}
		if name == debianScenario {
			return nil, fmt.Errorf("vmtest: guest path %s is reserved for the script", name)
		}
		files[debianOverlay+name] = f
	}
	files[debianOverlay+debianScenario] = FromBytes([]byte(spec.Script), 0o755)
	return files, nil
}

// parseUptime takes the uptime line off the front of the output.
func parseUptime(output string) (time.Duration, string) {
	if !strings.HasPrefix(output, uptimeMarker) {
		return 0, output
	}
	line, rest, _ := strings.Cut(output, "\n")
	secs, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(line, uptimeMarker)), 64)
	if err != nil {
		return 0, output
	}
	return time.Duration(secs * float64(time.Second)), rest
}
