package kaconf

import (
	"strings"
	"testing"
)

func TestBlocks(t *testing.T) {
	tests := []struct {
		name, in, want string
		diag           string // substring of the diagnostics, "" for none
	}{
		{"keyword brace", "vrrp_instance VI_1 {\n state MASTER\n}\n", `
			1:vrrp_instance VI_1 {
			  2:state MASTER
			}
			`, ""},
		{"glued brace", "vrrp_instance VI_1{\nstate BACKUP}\n", `
			1:vrrp_instance VI_1 {
			  2:state BACKUP
			}
			`, ""},
		{"one line", "virtual_ipaddress { 1.2.3.4 }\n", `
			1:virtual_ipaddress {
			  1:1.2.3.4
			}
			`, ""},
		{"brace next line", "vrrp_instance X\n{\n  a 1\n}\n", `
			1:vrrp_instance X {
			  3:a 1
			}
			`, ""},
		{"nested one line", "a { b { c } d }\ne\n", `
			1:a {
			  1:b {
			    1:c
			  }
			  1:d
			}
			2:e
			`, ""},
		{"empty block", "static_ipaddress {\n}\n", `
			1:static_ipaddress {
			}
			`, ""},
		{"words after close", "a {\nb } c\n", `
			1:a {
			  2:b
			}
			2:c
			`, ""},
		{"brace in double quotes", `notify "echo {x}" y` + "\n", `
			1:notify "echo {x}" y
			`, ""},
		{"extra close", "a\n}\nb\n", `
			1:a
			3:b
			`, "t.conf:2: extra '}'"},
		{"missing close", "a {\n b {\n", `
			1:a {
			  2:b {
			  }
			}
			`, "t.conf:1: missing '}'"},
		{"stray open", "a {\n}\n{\nb\n}\n", `
			1:a {
			}
			3: {
			  4:b
			}
			`, "t.conf:3: unexpected '{'"},
		{"crlf", "a {\r\n b\r\n}\r\n", `
			1:a {
			  2:b
			}
			`, ""},
	}
	for _, tt := range tests {
		f := checkTree(t, tt.name, tt.in, tt.want, Options{})
		d := diagText(f.Diags)
		if tt.diag == "" && d != "" || !strings.Contains(d, tt.diag) {
			t.Errorf("%s: diags %q, want %q", tt.name, d, tt.diag)
		}
	}
}

func TestComments(t *testing.T) {
	in := dedent(`
		# full line
		a 1 # trailing
		b 2 ! bang
		c "x # y" ! quoted hash kept
		d e\#f \!g
		   ! indented
		f 'x # y'
		`)
	f := checkTree(t, "comments", in, `
		2:a 1
		3:b 2
		4:c "x # y"
		5:d e#f !g
		7:f "x"
		`, Options{})
	// '#' in single quotes starts a comment, as in keepalived (only
	// double quotes protect), leaving an unterminated quote.
	if !strings.Contains(diagText(f.Diags), "t.conf:7: missing terminating '") {
		t.Errorf("diags: %s", diagText(f.Diags))
	}
}

func TestQuotedFile(t *testing.T) {
	f, err := ReadFile("testdata/quoting.conf", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := dedent(`
		1:vrrp_script chk {
		  2:script "/usr/bin/check \"arg one\" two"
		  3:user "nobody"
		}
		5:notify_master "/bin/echo a\tbAA\x01"
		6:global_defs {
		  6:router_id R1
		}
		7:vrrp_instance VI_1 {
		  9:virtual_ipaddress {
		    9:1.2.3.4
		  }
		}
		`)
	if got := render(f.Nodes); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if len(f.Diags) != 0 {
		t.Errorf("diags: %s", diagText(f.Diags))
	}
	if f.Nodes[0].Pos.File != "testdata/quoting.conf" {
		t.Errorf("pos file %q", f.Nodes[0].Pos.File)
	}
}
