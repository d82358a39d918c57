package track

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/gokeepalived/keepalived/internal/config"
)

// ReadFileValue reads a track_file's value as keepalived does: the first
// 127 bytes parsed by strtol(buf, NULL, 0) (leading blanks, a sign, 0x
// hex or 0 octal, up to the first non-digit), 0 when the file is missing,
// unreadable or holds no number, clamped to -254..254.
func ReadFileValue(path string) int {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0
	}
	defer unix.Close(fd)
	buf := make([]byte, 127)
	n, err := unix.Read(fd, buf)
	if err != nil || n <= 0 {
		return 0
	}
	return clampFile(strtol(string(buf[:n])))
}

// strtol parses like C's strtol with base 0, saturating on overflow.
func strtol(s string) int64 {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	base := int64(10)
	switch {
	case len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digit(s[2], 16) >= 0:
		base, s = 16, s[2:]
	case len(s) > 1 && s[0] == '0':
		base = 8
	}
	var v int64
	const limit = 1 << 40 // far beyond the clamp; saturate here
	for i := 0; i < len(s); i++ {
		d := digit(s[i], base)
		if d < 0 {
			break
		}
		if v < limit {
			v = v*base + d
		}
	}
	if neg {
		return -v
	}
	return v
}

func digit(c byte, base int64) int64 {
	var d int64
	switch {
	case c >= '0' && c <= '9':
		d = int64(c - '0')
	case c >= 'a' && c <= 'f':
		d = int64(c-'a') + 10
	case c >= 'A' && c <= 'F':
		d = int64(c-'A') + 10
	default:
		return -1
	}
	if d >= base {
		return -1
	}
	return d
}

// InitFile applies a track_file's init_file: when set and the file is
// missing (or with overwrite, always) it writes the initial value.
func InitFile(tf *config.TrackFile) error {
	if !tf.InitFile {
		return nil
	}
	if !tf.InitOverwrite {
		if _, err := os.Stat(tf.File); err == nil {
			return nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("track file %s: %w", tf.Name, err)
		}
	}
	if err := os.WriteFile(tf.File, fmt.Appendf(nil, "%d\n", tf.InitValue), 0o644); err != nil {
		return fmt.Errorf("unable to initialise track file %s: %w", tf.Name, err)
	}
	return nil
}
