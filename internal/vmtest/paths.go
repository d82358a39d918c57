package vmtest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// qemuBinary is the emulator Run launches.
const qemuBinary = "qemu-system-x86_64"

// image names the cached artifacts build.sh produces.
type image struct {
	kernel  string // ELF vmlinux
	initrd  string // base initramfs, cpio newc padded to 4 bytes
	cmdline string // kernel command line file
}

// repoRoot walks up from the working directory to the directory holding
// go.mod and scripts/vm/build.sh.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("vmtest: working directory: %w", err)
	}
	for {
		if fileExists(filepath.Join(dir, "go.mod")) && fileExists(filepath.Join(dir, "scripts", "vm", "build.sh")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("vmtest: no go.mod with scripts/vm/build.sh above the working directory")
		}
		dir = parent
	}
}

// cacheDir is $VMTEST_CACHE, or .cache/vm under the repository root.
func cacheDir() (string, error) {
	if d := os.Getenv("VMTEST_CACHE"); d != "" {
		return d, nil
	}
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, ".cache", "vm"), nil
}

// cachedImage returns the cached artifacts, or an error saying how to
// build them.
func cachedImage() (image, error) {
	dir, err := cacheDir()
	if err != nil {
		return image{}, err
	}
	img := image{
		kernel:  filepath.Join(dir, "vmlinux"),
		initrd:  filepath.Join(dir, "initramfs.cpio"),
		cmdline: filepath.Join(dir, "cmdline"),
	}
	for _, f := range []string{img.kernel, img.initrd, img.cmdline} {
		if !fileExists(f) {
			return image{}, fmt.Errorf("vmtest: %s missing: run scripts/vm/build.sh", f)
		}
	}
	return img, nil
}

// Available reports why the VM cannot run here (nil when it can): qemu
// must be installed and the image built (scripts/vm/build.sh).
func Available() error {
	if _, err := exec.LookPath(qemuBinary); err != nil {
		return fmt.Errorf("vmtest: %s not found (make deps): %w", qemuBinary, err)
	}
	_, err := cachedImage()
	return err
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
