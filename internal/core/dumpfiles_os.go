package core

import (
	"fmt"
	"os"
	"path/filepath"
)

// atomicWriter is a System that can replace a file at once.
type atomicWriter interface {
	WriteFileAtomic(path string, data []byte, perm os.FileMode) error
}

var _ atomicWriter = OS{}

// WriteFileAtomic writes data to a temporary file next to path and
// renames it over path, as keepalived writes its dump files: a reader
// sees the old file or the new one, never a part.
func (OS) WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
