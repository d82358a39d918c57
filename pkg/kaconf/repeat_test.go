package kaconf

import (
	"strings"
	"testing"
)

func TestRepeat(t *testing.T) {
	tests := []struct{ name, in, want, diag string }{
		{"seq 3 args", "~SEQ(SUBNET, 0, 1, 3) ip 10.0.${SUBNET}.1\n",
			"1:ip 10.0.0.1\n1:ip 10.0.1.1\n1:ip 10.0.2.1\n1:ip 10.0.3.1\n", ""},
		{"seq start end", "~SEQ(SUBNET, 0, 3) ip 10.0.${SUBNET}.1\n",
			"1:ip 10.0.0.1\n1:ip 10.0.1.1\n1:ip 10.0.2.1\n1:ip 10.0.3.1\n", ""},
		{"seq end only", "~SEQ(I,3) x$I\n", "1:x1\n1:x2\n1:x3\n", ""},
		{"seq end zero", "~SEQ(J,0) x$J\n", "1:x1\n1:x0\n", ""},
		{"seq end negative", "~SEQ(J,-2) x$J\n", "1:x-1\n1:x-2\n", ""},
		{"seq descending", "~SEQ(K, 2, 0) x$K\n", "1:x2\n1:x1\n1:x0\n", ""},
		{"seq step", "~SEQ(K, 1, 3, 8) x$K\n", "1:x1\n1:x4\n1:x7\n", ""},
		{"seq hex", "~SEQx(H, 0x9, 0xb) h$H\n", "1:h9\n1:ha\n1:hb\n", ""},
		{"seq hex decimal args", "~SEQx(SUBNET, 144, 16, 192) fe80::20:${SUBNET}:1\n",
			"1:fe80::20:90:1\n1:fe80::20:a0:1\n1:fe80::20:b0:1\n1:fe80::20:c0:1\n", ""},
		{"seq octal", "~SEQ(O, 010, 011) o$O\n", "1:o8\n1:o9\n", ""},
		{"seq params in args", "$N=2\n~SEQ(I, ${N}) x$I\n", "2:x1\n2:x2\n", ""},
		{"two seqs", "~SEQ(A,1,2) ~SEQ(B,1,2) ${A}.${B}\n", "1:1.1\n1:1.2\n1:2.1\n1:2.2\n", ""},
		{"seq block lines", "a {\n~SEQ(I,1,2) b$I { c$I }\n}\n", "1:a {\n  2:b1 {\n    2:c1\n  }\n  2:b2 {\n    2:c2\n  }\n}\n", ""},
		{"seq multiline", "$M=a$I \\\nb$I\n~SEQ(I,1,2) $M\n", "3:a1\n3:b1\n3:a2\n3:b2\n", ""},
		{"seq var stays defined", "~SEQ(I,1,2) x\ny $I\n", "1:x\n1:x\n2:y 2\n", ""},
		{"seq bad step", "~SEQ(I,1,-1,3) x\n", "", "invalid ~SEQ"},
		{"seq zero step", "~SEQ(I,1,0,3) x\n", "", "invalid ~SEQ"},
		{"seq no args", "~SEQ(I) x\n", "", "invalid ~SEQ"},
		{"seq no paren", "~SEQ I,1 x\n", "", "invalid ~SEQ"},
		{"seq garbage", "~SEQ(I, a) x\n", "", "invalid ~SEQ"},
		{"seq unclosed", "~SEQ(I, 1, 2\n", "", "invalid ~SEQ"},
		{"seqx negative", "~SEQx(I, -1, 2) x\n", "", "positive"},
		{"lst", "~LST(X, p, q ) x_$X\n", "1:x_p\n1:x_q\n", ""},
		{"lst groups", "~LST({IP, IP1}, {10,1},{20,4},{5,6},{12,8}) 192.168.${IP}.${IP1}\n",
			"1:192.168.10.1\n1:192.168.20.4\n1:192.168.5.6\n1:192.168.12.8\n", ""},
		{"lst nested", "~LST(IP, 1, 2) ~LST(IP1, 5,6,7) 192.169.${IP}.${IP1}\n",
			"1:192.169.1.5\n1:192.169.1.6\n1:192.169.1.7\n1:192.169.2.5\n1:192.169.2.6\n1:192.169.2.7\n", ""},
		{"lst seq", "~LST({IP, IP1}, {10,1},{20,4}) ~SEQ(IP2,168,2,172) 192.${IP2}.${IP}.${IP1}\n",
			"1:192.168.10.1\n1:192.170.10.1\n1:192.172.10.1\n1:192.168.20.4\n1:192.170.20.4\n1:192.172.20.4\n", ""},
		{"lst empty value", "~LST(Z,,x) z_${Z}_\n", "1:z__\n1:z_x_\n", ""},
		{"lst short group", "~LST({A,B},{1},{3,4}) g_${A}_${B}\n", "1:g_1_\n1:g_3_4\n", ""},
		{"lst space in value", "~LST(Y, a b, c) y\n", "", "invalid ~LST"},
		{"lst no values", "~LST(Y) y\n", "", "invalid ~LST"},
		{"lst long group", "~LST({A},{1,2}) y\n", "", "invalid ~LST"},
		{"lst unclosed", "~LST(Y, a\n", "", "invalid ~LST"},
		{"other tilde kept", "~FOO $X\n", "1:~FOO $X\n", ""},
		{"seq from param", "$S=~SEQ(I,1,2)\n$S x$I\n", "2:x1\n2:x2\n", ""},
	}
	for _, tt := range tests {
		f := checkTree(t, tt.name, tt.in, tt.want, Options{})
		d := diagText(f.Diags)
		if tt.diag == "" && d != "" || !strings.Contains(d, tt.diag) {
			t.Errorf("%s: diags %q, want %q", tt.name, d, tt.diag)
		}
	}
}

func TestRepeatFile(t *testing.T) {
	f, err := ReadFile("testdata/seq.conf", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.Nodes[0].Children); n != 4+4*3+2*2 || len(f.Diags) != 0 {
		t.Errorf("%d children, diags %s\n%s", n, diagText(f.Diags), render(f.Nodes))
	}
	if got := f.Nodes[0].Children[4].Args[0]; got != "fe81::10:90:12" {
		t.Errorf("first ~SEQx line %q", got)
	}
}

func TestMultilineFile(t *testing.T) {
	f, err := ReadFile("testdata/multiline.conf", Options{ConfigID: "high"})
	if err != nil {
		t.Fatal(err)
	}
	want := dedent(`
		19:vrrp_instance VI_0 {
		  19:interface eth0.0
		  19:use_vmac vrrp0.1
		  19:virtual_router_id 1
		  19:priority 130
		  19:advert_int 1
		  19:virtual_ipaddress {
		    19:10.0.0.254/24
		  }
		  19:track_script {
		    19:offset_instance_0
		  }
		}
		`)
	got := render(f.Nodes)
	if !strings.HasPrefix(got, want) || len(f.Nodes) != 2 || f.Nodes[1].Args[1] != "VI_1" || f.Nodes[1].Pos.Line != 22 {
		t.Errorf("got\n%s\nwant prefix\n%s", got, want)
	}
}
