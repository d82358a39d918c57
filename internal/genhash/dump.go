package genhash

import (
	"fmt"
	"io"
	"strings"
)

// Delimiters of verbose output.
const (
	delimHeaderHex   = "-----------------------[    HTTP Header Buffer    ]-----------------------\n"
	delimHeaderASCII = "-----------------------[ HTTP Header Ascii Buffer ]-----------------------\n"
	delimHTML        = "-----------------------[        HTML Buffer        ]-----------------------\n"
	delimHash        = "-----------------------[    HTML hash resulting    ]-----------------------\n"
	delimHashFinal   = "-----------------------[ HTML hash final resulting ]-----------------------\n"
)

// dumpBuffer writes b as keepalived's dump_buffer: 16 bytes a line, a
// decimal offset, the bytes in hex with "- " after the eighth, then the
// printable characters ('.' for others).
func dumpBuffer(w io.Writer, b []byte) {
	var sb strings.Builder
	for off := 0; off < len(b); off += 16 {
		fmt.Fprintf(&sb, "%04d  ", off)
		for i := range 16 {
			if i == 8 {
				sb.WriteString("- ")
			}
			if off+i < len(b) {
				fmt.Fprintf(&sb, "%02x ", b[off+i])
			} else {
				sb.WriteString("   ")
			}
		}
		sb.WriteString("  ")
		for i := range 16 {
			c := byte(' ')
			if off+i < len(b) {
				c = b[off+i]
				if c < 0x20 || c > 0x7e {
					c = '.'
				}
			}
			sb.WriteByte(c)
		}
		sb.WriteByte('\n')
	}
	io.WriteString(w, sb.String())
}
