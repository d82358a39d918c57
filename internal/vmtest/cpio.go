package vmtest

import (
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// cpio newc mode bits for the entry types written here.
const (
	cpioDir  = 0o040000
	cpioFile = 0o100000
)

// cpioEntry is one file of an archive: the guest path and its content.
type cpioEntry struct {
	name string
	mode fs.FileMode
	size int64
	open func() (io.ReadCloser, error)
}

// cpioWriter writes a cpio archive in the "newc" format the kernel's
// initramfs unpacker reads.
type cpioWriter struct {
	w    io.Writer
	n    int64
	ino  int
	dirs map[string]bool
}

func newCPIOWriter(w io.Writer) *cpioWriter {
	return &cpioWriter{w: w, ino: 1, dirs: map[string]bool{}}
}

// writeAll writes every entry sorted by name, each preceded by its parent
// directories, then the trailer.
func (c *cpioWriter) writeAll(entries []cpioEntry) error {
	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })
	for _, e := range entries {
		if err := c.parents(e.name); err != nil {
			return err
		}
		if err := c.file(e); err != nil {
			return err
		}
	}
	return c.header("TRAILER!!!", 0, 0)
}

// parents writes a directory entry for every ancestor of name not yet
// written.
func (c *cpioWriter) parents(name string) error {
	var chain []string
	for d := path.Dir(name); d != "." && d != "/" && d != ""; d = path.Dir(d) {
		chain = append(chain, d)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		d := chain[i]
		if c.dirs[d] {
			continue
		}
		c.dirs[d] = true
		if err := c.header(d, cpioDir|0o755, 0); err != nil {
			return err
		}
	}
	return nil
}

func (c *cpioWriter) file(e cpioEntry) error {
	if err := c.header(e.name, cpioFile|uint32(e.mode.Perm()), e.size); err != nil {
		return err
	}
	r, err := e.open()
	if err != nil {
		return err
	}
	defer r.Close()
	n, err := io.Copy(c.w, io.LimitReader(r, e.size))
	c.n += n
	if err != nil {
		return fmt.Errorf("copy %s: %w", e.name, err)
	}
	if n != e.size {
		return fmt.Errorf("copy %s: %d of %d bytes (file changed?)", e.name, n, e.size)
	}
	return c.pad()
}

// header writes a newc header for name (relative: no leading slash).
func (c *cpioWriter) header(name string, mode uint32, size int64) error {
	name = strings.TrimPrefix(name, "/")
	if size > 0xffffffff {
		return fmt.Errorf("%s: %d bytes is too large for cpio newc", name, size)
	}
	nlink := 1
	if mode&cpioDir == cpioDir {
		nlink = 2
	}
	ino := c.ino
	c.ino++
	h := fmt.Sprintf("070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		ino, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, len(name)+1, 0)
	n, err := io.WriteString(c.w, h+name+"\x00")
	c.n += int64(n)
	if err != nil {
		return fmt.Errorf("cpio header %s: %w", name, err)
	}
	return c.pad()
}

// pad aligns the stream to four bytes, as newc requires.
func (c *cpioWriter) pad() error {
	if r := c.n % 4; r != 0 {
		n, err := c.w.Write(make([]byte, 4-r))
		c.n += int64(n)
		if err != nil {
			return fmt.Errorf("cpio padding: %w", err)
		}
	}
	return nil
}
