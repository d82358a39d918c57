package vmtest

import (
	"io/fs"
	"time"
)

// DefaultTimeout bounds a Run whose Spec has no Timeout.
const DefaultTimeout = 2 * time.Minute

// DefaultMemoryMB is the guest's memory when Spec.MemoryMB is zero.
const DefaultMemoryMB = 512

// Spec describes one run of the VM.
type Spec struct {
	// Files maps absolute guest paths to their contents. Parent
	// directories are created.
	Files map[string]File
	// Script is the sh script run as root in the guest; its output and
	// exit status become the Result's.
	Script string
	// Timeout bounds the whole run, boot included (DefaultTimeout if 0).
	Timeout time.Duration
	// MemoryMB is the guest's memory (DefaultMemoryMB if 0).
	MemoryMB int
	// KernelArgs are appended to the kernel command line.
	KernelArgs []string
}

// File is the content of one guest file: a host file, or bytes.
type File struct {
	// HostPath, when set, names the host file to copy (its mode is kept
	// unless Mode is set).
	HostPath string
	// Data is the content when HostPath is empty.
	Data []byte
	// Mode holds the permission bits (0644 for Data if zero).
	Mode fs.FileMode
}

// FromHost returns a File copied from the host file at path.
func FromHost(path string) File { return File{HostPath: path} }

// FromBytes returns a File holding b with the permission bits mode.
func FromBytes(b []byte, mode fs.FileMode) File { return File{Data: b, Mode: mode} }

// Result is what a run produced.
type Result struct {
	// Output is the script's stdout and stderr, interleaved.
	Output string
	// ExitStatus is the script's exit status.
	ExitStatus int
	// Duration is the wall time from launching qemu to its exit.
	Duration time.Duration
	// Console is the guest's console (kernel messages and the init's
	// own complaints), for diagnostics.
	Console string
}
