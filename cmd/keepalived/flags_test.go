package main

import (
	"reflect"
	"testing"
)

func TestParseArgs(t *testing.T) {
	tests := []struct {
		name string
		argv []string
		want func(o *cliOptions) // fills the expected fields on defaults
	}{
		{"defaults", nil, func(o *cliOptions) {}},
		{"combined -DlnP", []string{"-DlnP"}, func(o *cliOptions) {
			o.LogDetail, o.LogConsole, o.DontFork, o.VRRPOnly = 1, true, true, true
		}},
		{"-DD counts", []string{"-DD", "-D"}, func(o *cliOptions) { o.LogDetail = 3 }},
		{"-f separate", []string{"-f", "/x.conf"}, func(o *cliOptions) { o.ConfigFile = "/x.conf" }},
		{"-f attached", []string{"-f/x.conf"}, func(o *cliOptions) { o.ConfigFile = "/x.conf" }},
		{"-nf cluster", []string{"-nf", "/x.conf"}, func(o *cliOptions) { o.DontFork, o.ConfigFile = true, "/x.conf" }},
		{"--use-file=", []string{"--use-file=/x.conf"}, func(o *cliOptions) { o.ConfigFile = "/x.conf" }},
		{"--use-file sep", []string{"--use-file", "/x.conf"}, func(o *cliOptions) { o.ConfigFile = "/x.conf" }},
		{"abbreviated long", []string{"--use", "/x.conf", "--dont-f"}, func(o *cliOptions) {
			o.ConfigFile, o.DontFork = "/x.conf", true
		}},
		{"-t alone", []string{"-t"}, func(o *cliOptions) { o.ConfigTest = configTestStderr }},
		{"-tFILE", []string{"-t/tmp/out"}, func(o *cliOptions) { o.ConfigTest = "/tmp/out" }},
		{"-ltFILE", []string{"-lt/tmp/out"}, func(o *cliOptions) { o.LogConsole, o.ConfigTest = true, "/tmp/out" }},
		{"--config-test=FILE", []string{"--config-test=/tmp/out"}, func(o *cliOptions) { o.ConfigTest = "/tmp/out" }},
		{"-t FILE not consumed", []string{"-t", "FILE"}, func(o *cliOptions) {
			o.ConfigTest, o.Extra = configTestStderr, []string{"FILE"}
		}},
		{"-M without value", []string{"-M", "PATN"}, func(o *cliOptions) {
			o.CorePattern, o.Extra = defaultCorePatn, []string{"PATN"}
		}},
		{"-MPATN", []string{"-Mcore.%p"}, func(o *cliOptions) { o.CorePattern = "core.%p" }},
		{"-g default", []string{"-g"}, func(o *cliOptions) { o.LogFile = defaultLogFile }},
		{"-gFILE", []string{"-g/var/log/ka.log"}, func(o *cliOptions) { o.LogFile = "/var/log/ka.log" }},
		{"pid files", []string{"-p", "/a", "-r", "/b", "-c", "/c", "-b", "/d"}, func(o *cliOptions) {
			o.PidFile, o.VRRPPidFile, o.CheckersPid, o.BFDPidFile = "/a", "/b", "/c", "/d"
		}},
		{"value looking like option", []string{"-f", "-t"}, func(o *cliOptions) { o.ConfigFile = "-t" }},
		{"unimplemented but valid", []string{"-XVIRamx", "-A", "/s", "-s", "ns1", "-B", "--all", "--perf", "--debug=TpM",
			"--no-mem-check", "--ignore-sigint", "-L", "--flush-log-file", "--openssl-mem-check"}, func(o *cliOptions) {
			o.ReleaseVIPs, o.DontReleaseVRP, o.DontReleaseIPV, o.DontRespawn = true, true, true, true
			o.AddrMonitor, o.CoreDump, o.SNMP, o.SNMPSocket, o.Namespace = true, true, true, "/s", "ns1"
			o.NoBFD, o.All, o.Perf, o.Debug, o.NoMemCheck, o.IgnoreSigint = true, true, "run", "TpM", true, true
			o.MemCheckLog, o.FlushLogFile, o.OpenSSLMemChk = true, true, true
		}},
		{"facility umask id", []string{"-S", "local3", "-u", "0077", "-i", "node1", "-e", "-G", "-d", "-C"}, func(o *cliOptions) {
			o.LogFacility, o.Umask, o.ConfigID, o.AllConfig, o.NoSyslog, o.DumpConf, o.CheckOnly = "local3", "0077", "node1", true, true, true, true
		}},
		{"signum", []string{"--signum=RELOAD"}, func(o *cliOptions) { o.Signum = "RELOAD" }},
		{"perf value", []string{"--perf=all"}, func(o *cliOptions) { o.Perf = "all" }},
		{"after --", []string{"-n", "--", "-x"}, func(o *cliOptions) { o.DontFork, o.Extra = true, []string{"-x"} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseArgs(tc.argv)
			if err != nil {
				t.Fatalf("parseArgs(%q): %v", tc.argv, err)
			}
			want := &cliOptions{ConfigFile: defaultConfigFile}
			tc.want(want)
			got.Changed = nil
			if len(got.Extra) == 0 {
				got.Extra = nil
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("parseArgs(%q)\n got %+v\nwant %+v", tc.argv, got, want)
			}
		})
	}
}

func TestParseArgsErrors(t *testing.T) {
	tests := []struct {
		argv []string
		msg  string
	}{
		{[]string{"-Z"}, "Unknown option -Z"},
		{[]string{"-nZ"}, "Unknown option -Z"},
		{[]string{"--bogus"}, "Unknown option --bogus"},
		{[]string{"--d"}, "Option '--d' is ambiguous"},
		{[]string{"--use-file="}, "Missing parameter for option --use-file"},
		{[]string{"-f"}, "Missing parameter for option -f"},
		{[]string{"--dont-fork=yes"}, "Option --dont-fork does not take a parameter"},
	}
	for _, tc := range tests {
		_, err := parseArgs(tc.argv)
		if err == nil || err.Error() != tc.msg {
			t.Errorf("parseArgs(%q) error = %v, want %q", tc.argv, err, tc.msg)
		}
	}
}

func TestChangedInCommandLineOrder(t *testing.T) {
	o, err := parseArgs([]string{"-h", "-v"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"help", "version"}; !reflect.DeepEqual(o.Changed, want) {
		t.Errorf("Changed = %v, want %v", o.Changed, want)
	}
}

func TestSignum(t *testing.T) {
	want := map[string]int{"STOP": 15, "RELOAD": 1, "DATA": 10, "STATS": 12, "STATS_CLEAR": 63, "JSON": 36}
	for name, n := range want {
		if got, ok := signum(name); !ok || got != n {
			t.Errorf("signum(%s) = %d, %v; want %d", name, got, ok, n)
		}
	}
	for _, name := range []string{"stop", "STO", "", "STOPX", " STOP", "TDUMP"} {
		if _, ok := signum(name); ok {
			t.Errorf("signum(%q) accepted", name)
		}
	}
}
