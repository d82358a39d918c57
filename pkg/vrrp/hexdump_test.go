package vrrp

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
)

// readHexDump reads the frames of a `tcpdump -XX` text dump: each frame is
// a summary line followed by tab-indented (exactly one tab) "0xNNNN:  hex  ascii" lines.
func readHexDump(path string) ([][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var frames [][]byte
	var cur []byte
	in := false
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		// frame bytes are "\t0x..."; option dumps of -vv are indented further
		t := sc.Text()
		if !strings.HasPrefix(t, "\t0x") {
			if in {
				frames = append(frames, cur)
				cur, in = nil, false
			}
			continue
		}
		_, rest, ok := strings.Cut(t, ":")
		if !ok {
			return nil, fmt.Errorf("%s:%d: no offset", path, line)
		}
		rest = strings.TrimPrefix(rest, "  ")
		if len(rest) > 39 {
			rest = rest[:39] // 8 groups of 4 digits; the ASCII column follows
		}
		b, err := hex.DecodeString(strings.ReplaceAll(strings.TrimSpace(rest), " ", ""))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		cur, in = append(cur, b...), true
	}
	if in {
		frames = append(frames, cur)
	}
	return frames, sc.Err()
}
