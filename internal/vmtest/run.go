package vmtest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// guestScript is where the Spec's script lands in the guest; /init runs
// it.
const guestScript = "/vmtest/run.sh"

// maxOutput bounds how much of the output and console files is read.
const maxOutput = 16 << 20

// consoleTail is how much of the console an error message quotes.
const consoleTail = 2048

// Run boots the VM with spec's files, runs spec.Script as root and returns
// its output and exit status. The error is non-nil only when the run
// itself failed (no image, qemu failed, timeout, no exit marker); a
// script exiting non-zero is a Result with that ExitStatus.
func Run(ctx context.Context, spec Spec) (Result, error) {
	img, err := cachedImage()
	if err != nil {
		return Result{}, err
	}
	timeout := spec.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	dir, err := os.MkdirTemp("", "vmtest-*")
	if err != nil {
		return Result{}, fmt.Errorf("vmtest: temp dir: %w", err)
	}
	defer os.RemoveAll(dir)

	initrd := filepath.Join(dir, "initrd")
	if err := writeInitrd(initrd, img.initrd, spec); err != nil {
		return Result{}, err
	}
	outPath := filepath.Join(dir, "out")
	consolePath := filepath.Join(dir, "console")
	cmdline, err := os.ReadFile(img.cmdline)
	if err != nil {
		return Result{}, fmt.Errorf("vmtest: kernel command line: %w", err)
	}
	args := qemuArgs(img.kernel, initrd, strings.TrimSpace(string(cmdline)), outPath, consolePath, spec)
	cmd := exec.CommandContext(ctx, qemuBinary, args...)
	cmd.WaitDelay = 5 * time.Second
	var qemuOut strings.Builder
	cmd.Stdout = &qemuOut
	cmd.Stderr = &qemuOut

	start := time.Now()
	runErr := cmd.Run()
	res := Result{Duration: time.Since(start)}
	res.Console = readCapped(consolePath)
	out := readCapped(outPath)

	if ctx.Err() != nil {
		return res, fmt.Errorf("vmtest: run did not finish within %v (%w); console:\n%s",
			timeout, ctx.Err(), tail(res.Console))
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
	res.Output, res.ExitStatus = output, status
	return res, nil
}

// qemuArgs is the emulator's command line (scripts/vm/run.sh uses the
// same): PVH boot of the ELF kernel with build.sh's kernel command line,
// console on the first serial port (a file), the script's output on the
// second.
func qemuArgs(kernel, initrd, cmdline, out, console string, spec Spec) []string {
	mem := spec.MemoryMB
	if mem <= 0 {
		mem = DefaultMemoryMB
	}
	if len(spec.KernelArgs) > 0 {
		cmdline += " " + strings.Join(spec.KernelArgs, " ")
	}
	return []string{
		"-machine", "pc", "-accel", "tcg",
		"-m", fmt.Sprint(mem),
		"-nographic", "-monitor", "none", "-nic", "none", "-no-reboot",
		"-kernel", kernel, "-initrd", initrd,
		"-append", cmdline,
		"-serial", "file:" + console,
		"-chardev", "file,id=vmtestout,path=" + out,
		"-device", "isa-serial,chardev=vmtestout",
	}
}

// exitMarker precedes the script's exit status at the end of the output.
const exitMarker = "\nVMTEST-EXIT "

// parseOutput splits the guest's output into the script's output and its
// exit status.
func parseOutput(s string) (output string, status int, ok bool) {
	i := strings.LastIndex(s, exitMarker)
	if i < 0 {
		return "", 0, false
	}
	if _, err := fmt.Sscanf(s[i+len(exitMarker):], "%d", &status); err != nil {
		return "", 0, false
	}
	return s[:i], status, true
}

// writeInitrd writes the base initramfs followed by an uncompressed cpio
// segment with spec's files and script (the kernel unpacks concatenated
// archives in order, later files replacing earlier ones).
func writeInitrd(dst, base string, spec Spec) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return fmt.Errorf("vmtest: initrd: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("vmtest: initrd: %w", cerr)
		}
	}()
	b, err := os.Open(base)
	if err != nil {
		return fmt.Errorf("vmtest: base initramfs: %w", err)
	}
	defer b.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	n, err := io.Copy(w, b)
	if err != nil {
		return fmt.Errorf("vmtest: base initramfs: %w", err)
	}
	if n%4 != 0 {
		return fmt.Errorf("vmtest: base initramfs %s is not padded to 4 bytes: rebuild it", base)
	}
	entries, err := specEntries(spec)
	if err != nil {
		return err
	}
	if err := newCPIOWriter(w).writeAll(entries); err != nil {
		return fmt.Errorf("vmtest: initrd: %w", err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("vmtest: initrd: %w", err)
	}
	return nil
}

// specEntries lists the archive entries of spec: its files and the script.
func specEntries(spec Spec) ([]cpioEntry, error) {
	entries := []cpioEntry{bytesEntry(guestScript, []byte(spec.Script), 0o755)}
	for name, file := range spec.Files {
		if !filepath.IsAbs(name) || filepath.Clean(name) != name {
			return nil, fmt.Errorf("vmtest: guest path %q is not absolute and clean", name)
		}
		if name == guestScript {
			return nil, fmt.Errorf("vmtest: guest path %s is reserved for the script", name)
		}
		if file.HostPath == "" {
			mode := file.Mode
			if mode == 0 {
				mode = 0o644
			}
			entries = append(entries, bytesEntry(name, file.Data, mode))
			continue
		}
		st, err := os.Stat(file.HostPath)
		if err != nil {
			return nil, fmt.Errorf("vmtest: file for %s: %w", name, err)
		}
		if !st.Mode().IsRegular() {
			return nil, fmt.Errorf("vmtest: file for %s: %s is not a regular file", name, file.HostPath)
		}
		mode := file.Mode
		if mode == 0 {
			mode = st.Mode().Perm()
		}
		host := file.HostPath
		entries = append(entries, cpioEntry{
			name: name, mode: mode, size: st.Size(),
			open: func() (io.ReadCloser, error) { return os.Open(host) },
		})
	}
	return entries, nil
}

func bytesEntry(name string, data []byte, mode os.FileMode) cpioEntry {
	return cpioEntry{
		name: name, mode: mode, size: int64(len(data)),
		open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
	}
}

// readCapped reads up to maxOutput bytes of a file; a missing file reads
// as empty.
func readCapped(p string) string {
	f, err := os.Open(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, maxOutput))
	return string(b)
}

// tail returns the end of s, for error messages.
func tail(s string) string {
	if len(s) > consoleTail {
		return "..." + s[len(s)-consoleTail:]
	}
	return s
}
