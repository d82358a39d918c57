package kaconf

import (
	"strconv"
	"strings"
	"testing"
)

func TestParams(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"simple", "$A=1\nx $A\n", "2:x 1\n"},
		{"braces", "$A=1\nx${A}y\n", "2:x1y\n"},
		{"no space needed before", "$A=1\nx_$A\n", "2:x_1\n"},
		{"not followed by blank", "$A=1\nx $A.b\n", "2:x $A.b\n"},
		{"comma paren", "$A=1\nx $A,$A)\n", "2:x 1,1)\n"},
		{"undefined kept", "$A=1\nx ${B} $B\n", "2:x $ {\n  2:B\n}\n2:$B\n"},
		{"no defs no change", "x $B\n", "1:x $B\n"},
		{"space before = not def", "$B =2\n", "1:$B =2\n"},
		{"empty value", "$E=\nx a${E}b\n", "2:x ab\n"},
		{"value leading blanks", "$E=   v w\nx ${E}\n", "2:x v w\n"},
		{"use-time recursion", dedent(`
			$ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}
			$ADDRESS_BASE_SUB=0
			${ADDRESS_BASE}.100/32
			$ADDRESS_BASE_SUB=10
			${ADDRESS_BASE}.100/32
			`), "3:10.2.0.100/32\n5:10.2.10.100/32\n"},
		{"redefine", "$A=1\n$A=2\nx $A\n", "3:x 2\n"},
		{"conditional definition", "@main $P=240\n@backup $P=200\npriority $P\n", "3:priority 240\n"},
		{"param makes conditional", "$IF_MAIN=@main\n$IF_MAIN priority 240\n$IF_B=@backup\n$IF_B priority 1\n", "2:priority 240\n"},
		{"hash bang", "x ${_HASH}1 ${_BANG}2\n", "1:x #1 !2\n"},
		{"instance", "x ${_INSTANCE}\n", "1:x inst\n"},
		{"env", "x ${_ENV HOME_X} ${_ENV NOPE}y\n", "1:x /home/x y\n"},
		{"override builtin", "$_HASH=h\nx ${_HASH}\n", "2:x h\n"},
		{"param in quotes", "$A=1 2\nx \"${A}\"\n", "2:x \"1 2\"\n"},
		{"value with braces", "$B=blk {\n$B\n a\n}\n", "2:blk {\n  3:a\n}\n"},
		{"multiline", "$M= \\\nline1 \\\nline2\n\nx\n$M\n", "5:x\n6:line1\n6:line2\n"},
		{"multiline first line", "$M=a {\\\n b\\\n}\n$M\n", "4:a {\n  4:b\n}\n"},
		{"multiline ends at blank", "$M=a \\\n\nb\n$M\n", "3:b\n4:a\n"},
		{"multiline ends at comment line", "$M=a \\\n# c\nb\n$M\n", "3:b\n4:a\n"},
		{"multiline not mid-line", "$M=a \\\nb\nx $M y\n", "3:x $M y\n"},
		{"multiline nested", dedent(`
			$RS= \
			real_server 1.1.1.${N} 80 { \
			  weight ${N} \
			}
			$VS= \
			virtual_server 10.0.0.1 80 { \
			  $N=1 \
			  $RS \
			  $N=2 \
			  $RS \
			}
			$VS
			`), `
			12:virtual_server 10.0.0.1 80 {
			  12:real_server 1.1.1.1 80 {
			    12:weight 1
			  }
			  12:real_server 1.1.1.2 80 {
			    12:weight 2
			  }
			}
			`},
	}
	opt := Options{ConfigID: "main", Instance: "inst", Getenv: func(k string) string {
		if k == "HOME_X" {
			return "/home/x"
		}
		return ""
	}}
	for _, tt := range tests {
		f := checkTree(t, tt.name, tt.in, tt.want, opt)
		if hasSev(f.Diags, SevWarning) && !strings.Contains(tt.name, "undefined") {
			t.Errorf("%s: diags %s", tt.name, diagText(f.Diags))
		}
	}
}

func TestParamBuiltins(t *testing.T) {
	f := ReadBytes("/etc/ka/x.conf", []byte("a ${_PWD}\n"), Options{})
	if got := render(f.Nodes); got != "1:a /etc/ka\n" {
		t.Errorf("_PWD: %s", got)
	}
	f = ReadBytes("x.conf", []byte("a ${_INSTANCE}\n"), Options{ConfigID: "host1"})
	if got := render(f.Nodes); got != "1:a host1\n" {
		t.Errorf("_INSTANCE fallback: %s", got)
	}
	for i := 0; i < 50; i++ {
		f = ReadBytes("x.conf", []byte("a ${_RANDOM} ${_RANDOM 5} ${_RANDOM 10 12}\n"), Options{})
		args := f.Nodes[0].Args
		for j, r := range [][2]int{{0, 32767}, {5, 32767}, {10, 12}} {
			v, err := strconv.Atoi(args[j+1])
			if err != nil || v < r[0] || v > r[1] {
				t.Fatalf("_RANDOM %d: %q", j, args)
			}
		}
	}
	// Bad _RANDOM parameters leave the reference as is.
	f = ReadBytes("x.conf", []byte("a ${_RANDOM x}\n"), Options{})
	if len(f.Nodes) == 0 || f.Nodes[0].Args[1] != "$" {
		t.Errorf("bad _RANDOM: %s", render(f.Nodes))
	}
}

func TestConditional(t *testing.T) {
	in := dedent(`
		global_defs {
		    @main   router_id main_router
		    @backup router_id backup_router
		}
		unicast_peer {
		    @^main    1.2.3.4
		    @^backup  1.2.3.5
		    @^backup2 1.2.3.6
		}
		@main
		`) + "@main\ttabbed\n"
	checkTree(t, "main", in, `
		1:global_defs {
		  2:router_id main_router
		}
		5:unicast_peer {
		  7:1.2.3.5
		  8:1.2.3.6
		}
		11:tabbed
		`, Options{ConfigID: "main"})
	checkTree(t, "no id", in, `
		1:global_defs {
		}
		5:unicast_peer {
		  6:1.2.3.4
		  7:1.2.3.5
		  8:1.2.3.6
		}
		`, Options{})
}
