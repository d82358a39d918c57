package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// debEpoch is the SOURCE_DATE_EPOCH the package test builds with: every
// file in the package must carry it.
const debEpoch = 1700000000

// debEntry is one line of `dpkg-deb -c`.
type debEntry struct {
	Mode, Owner, Path, Link string
	Time                    time.Time
}

// parseDebContents parses `dpkg-deb -c` output run with TZ=UTC (tar -tv lines:
// mode owner/group size date time path [-> target]).
func parseDebContents(out string) ([]debEntry, error) {
	var es []debEntry
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 6 {
			return nil, fmt.Errorf("dpkg-deb -c line %q: too few fields", line)
		}
		ts, err := time.ParseInLocation("2006-01-02 15:04", f[3]+" "+f[4], time.UTC)
		if err != nil {
			return nil, fmt.Errorf("dpkg-deb -c line %q: %w", line, err)
		}
		e := debEntry{Mode: f[0], Owner: f[1], Time: ts, Path: strings.TrimPrefix(f[5], ".")}
		if len(f) == 8 && f[6] == "->" {
			e.Link = f[7]
		}
		es = append(es, e)
	}
	return es, nil
}

func TestParseDebContents(t *testing.T) {
	es, err := parseDebContents("drwxr-xr-x root/root         0 2023-11-14 22:13 ./\n" +
		"lrwxrwxrwx root/root         0 2023-11-14 22:13 ./usr/bin/genhash -> ../sbin/keepalived\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Path != "/" || es[1].Path != "/usr/bin/genhash" || es[1].Link != "../sbin/keepalived" || es[1].Owner != "root/root" {
		t.Errorf("got %+v", es)
	}
	if _, err := parseDebContents("garbage"); err == nil {
		t.Error("no error for a short line")
	}
}

// requireDpkg skips the test unless dpkg and dpkg-deb are installed;
// under CI it fails instead.
func requireDpkg(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"dpkg", "dpkg-deb", "gzip"} {
		if _, err := exec.LookPath(tool); err != nil {
			if inCI() {
				t.Fatalf("needs %s (CI=true: not skipping)", tool)
			}
			t.Skipf("needs %s", tool)
		}
	}
}

// cmdRun runs name with args and env additions, with a time limit, and
// returns stdout, stderr and the exit status (-1 if it could not run).
func cmdRun(t *testing.T, env []string, name string, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C", "PATH="+os.Getenv("PATH")+":/usr/sbin:/sbin")
	cmd.Env = append(cmd.Env, env...)
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	st := 0
	if err != nil {
		st = -1
		if ee, ok := err.(*exec.ExitError); ok {
			st = ee.ExitCode()
		}
	}
	return so.String(), se.String(), st
}

// mustRun is cmdRun that fails the test on a non-zero status.
func mustRun(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	so, se, st := cmdRun(t, env, name, args...)
	if st != 0 {
		t.Fatalf("%s %s: status %d\nstdout: %s\nstderr: %s", name, strings.Join(args, " "), st, so, se)
	}
	return so
}

// buildDeb runs scripts/deb/build.sh into a temporary directory and
// returns the package's path (the script's last stdout line). bin (or
// KA_BIN), if set, is packaged instead of a fresh build.
func buildDeb(t *testing.T, bin string) string {
	t.Helper()
	root := repoRoot(t)
	// No compression: gzip of the binary costs seconds on a loaded machine
	// and is dpkg-deb's business, not ours.
	env := []string{"SOURCE_DATE_EPOCH=" + strconv.Itoa(debEpoch), "DEB_COMPRESS=none"}
	if bin == "" {
		bin = os.Getenv("KA_BIN")
	}
	if bin != "" {
		env = append(env, "KEEPALIVED_BIN="+bin)
	}
	out := mustRun(t, env, "bash", filepath.Join(root, "scripts/deb/build.sh"), t.TempDir())
	lines := strings.Split(strings.TrimSpace(out), "\n")
	deb := lines[len(lines)-1]
	if !strings.HasSuffix(deb, "_amd64.deb") {
		t.Fatalf("last stdout line %q is not a .deb path", deb)
	}
	if _, err := os.Stat(deb); err != nil {
		t.Fatal(err)
	}
	return deb
}

// wantDebFiles are the package's non-directory entries and their modes.
var wantDebFiles = map[string]string{
	"/usr/sbin/keepalived":                            "-rwxr-xr-x",
	"/usr/bin/genhash":                                "lrwxrwxrwx",
	"/lib/systemd/system/keepalived.service":          "-rw-r--r--",
	"/etc/default/keepalived":                         "-rw-r--r--",
	"/etc/keepalived/keepalived.conf.sample":          "-rw-r--r--",
	"/usr/share/man/man8/keepalived.8.gz":             "-rw-r--r--",
	"/usr/share/man/man5/keepalived.conf.5.gz":        "-rw-r--r--",
	"/usr/share/man/man1/genhash.1.gz":                "-rw-r--r--",
	"/usr/share/doc/gokeepalived/copyright":           "-rw-r--r--",
	"/usr/share/doc/gokeepalived/changelog.Debian.gz": "-rw-r--r--",
}

// checkDebContents checks the data archive: exactly the expected files
// with their modes, directories 0755, everything root's and dated
// debEpoch, and never /etc/keepalived/keepalived.conf.
func checkDebContents(t *testing.T, deb string) {
	t.Helper()
	es, err := parseDebContents(mustRun(t, []string{"TZ=UTC"}, "dpkg-deb", "-c", deb))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range es {
		if e.Owner != "root/root" {
			t.Errorf("%s: owner %s, want root/root", e.Path, e.Owner)
		}
		if want := time.Unix(debEpoch, 0).UTC().Truncate(time.Minute); !e.Time.Equal(want) {
			t.Errorf("%s: time %v, want %v (SOURCE_DATE_EPOCH)", e.Path, e.Time, want)
		}
		if e.Path == "/etc/keepalived/keepalived.conf" {
			t.Errorf("the package ships /etc/keepalived/keepalived.conf")
		}
		if strings.HasPrefix(e.Mode, "d") {
			if e.Mode != "drwxr-xr-x" {
				t.Errorf("directory %s: mode %s", e.Path, e.Mode)
			}
			continue
		}
		got[e.Path] = e.Mode
		if e.Path == "/usr/bin/genhash" && e.Link != "../sbin/keepalived" {
			t.Errorf("genhash links to %q, want ../sbin/keepalived (as Debian's)", e.Link)
		}
	}
	var diffs []string
	for p, m := range wantDebFiles {
		if got[p] != m {
			diffs = append(diffs, fmt.Sprintf("%s: mode %q, want %q", p, got[p], m))
		}
	}
	for p := range got {
		if _, ok := wantDebFiles[p]; !ok {
			diffs = append(diffs, "unexpected "+p)
		}
	}
	sort.Strings(diffs)
	for _, d := range diffs {
		t.Error(d)
	}
}

// checkDebControl checks the control fields, conffiles and maintainer
// scripts.
func checkDebControl(t *testing.T, deb string) {
	t.Helper()
	fields := map[string]string{}
	for _, name := range []string{"Package", "Version", "Architecture", "Conflicts", "Replaces", "Provides", "Section", "Maintainer", "Description", "Installed-Size"} {
		fields[name] = strings.TrimSpace(mustRun(t, nil, "dpkg-deb", "-f", deb, name))
	}
	want := map[string]string{
		"Package": "gokeepalived", "Architecture": "amd64", "Conflicts": "keepalived",
		"Replaces": "keepalived", "Provides": "keepalived (= 1:2.2.7)", "Section": "admin",
	}
	for k, v := range want {
		if fields[k] != v {
			t.Errorf("%s: %q, want %q", k, fields[k], v)
		}
	}
	if !regexp.MustCompile(`^2\.2\.7\+go[0-9]+$`).MatchString(fields["Version"]) {
		t.Errorf("Version %q, want 2.2.7+goN", fields["Version"])
	}
	for _, k := range []string{"Maintainer", "Description", "Installed-Size"} {
		if fields[k] == "" {
			t.Errorf("no %s field", k)
		}
	}
	if got := mustRun(t, nil, "dpkg-deb", "-I", deb, "conffiles"); got != "/etc/default/keepalived\n/etc/keepalived/keepalived.conf.sample\n" {
		t.Errorf("conffiles:\n%s", got)
	}
	ctl := t.TempDir()
	mustRun(t, nil, "dpkg-deb", "-e", deb, ctl)
	for _, s := range []string{"postinst", "prerm", "postrm"} {
		p := filepath.Join(ctl, s)
		fi, err := os.Stat(p)
		if err != nil {
			t.Errorf("maintainer script: %v", err)
			continue
		}
		if fi.Mode().Perm() != 0o755 {
			t.Errorf("%s: mode %v, want 0755", s, fi.Mode().Perm())
		}
		mustRun(t, nil, "sh", "-n", p)
	}
	// md5sums must cover every regular file.
	sums, err := os.ReadFile(filepath.Join(ctl, "md5sums"))
	if err != nil {
		t.Fatal(err)
	}
	for p, m := range wantDebFiles {
		if strings.HasPrefix(m, "-") && !strings.Contains(string(sums), "  "+p[1:]+"\n") {
			t.Errorf("md5sums lacks %s", p)
		}
	}
}

// fakeStockDeb builds a stand-in for Debian's keepalived package (same
// name, an /usr/sbin/keepalived, the defaults file as a conffile and the
// unit) so the test can replace it as an operator would.
func fakeStockDeb(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	root := filepath.Join(dir, "root")
	files := map[string]string{
		"DEBIAN/control":                          "Package: keepalived\nVersion: 1:2.2.7-1\nArchitecture: amd64\nMaintainer: test <test@localhost>\nDescription: stand-in for Debian's keepalived\n",
		"DEBIAN/conffiles":                        "/etc/default/keepalived\n/etc/keepalived/keepalived.conf.sample\n",
		"usr/sbin/keepalived":                     "#!/bin/sh\necho stock\n",
		"etc/default/keepalived":                  "DAEMON_ARGS=\"\"\n",
		"lib/systemd/system/keepalived.service":   "[Service]\nExecStart=/usr/sbin/keepalived --dont-fork\n",
		"etc/keepalived/keepalived.conf.sample":   "! stock sample\n",
		"usr/share/doc/keepalived/copyright":      "stand-in\n",
		"usr/share/man/man8/keepalived.8.gz":      "",
		"usr/share/man/man5/keepalived.conf.5.gz": "",
	}
	for p, c := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		mode := os.FileMode(0o644)
		if strings.HasPrefix(c, "#!") {
			mode = 0o755
		}
		if err := os.WriteFile(full, []byte(c), mode); err != nil {
			t.Fatal(err)
		}
	}
	deb := filepath.Join(dir, "keepalived.deb")
	mustRun(t, nil, "dpkg-deb", "--root-owner-group", "-Znone", "--build", root, deb)
	return deb
}

// scratchRoot is an empty dpkg root: dpkg runs maintainer scripts on the
// host with DPKG_ROOT set (--force-script-chrootless), as for a chroot
// where systemd is not running.
type scratchRoot struct {
	t   *testing.T
	dir string
}

func newScratchRoot(t *testing.T) *scratchRoot {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{"var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "var/lib/dpkg/status"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return &scratchRoot{t: t, dir: dir}
}

// dpkg runs dpkg on the scratch root.
func (r *scratchRoot) dpkg(args ...string) string {
	r.t.Helper()
	base := []string{"--root=" + r.dir, "--force-script-chrootless", "--force-not-root", "--force-depends", "--log=/dev/null"}
	return mustRun(r.t, nil, "dpkg", append(base, args...)...)
}

// status returns dpkg's status of pkg in the scratch root ("" if unknown).
func (r *scratchRoot) status(pkg string) string {
	r.t.Helper()
	so, _, _ := cmdRun(r.t, nil, "dpkg-query", "--admindir="+filepath.Join(r.dir, "var/lib/dpkg"), "-W", "-f=${Status}", pkg)
	return so
}

func (r *scratchRoot) path(p string) string { return filepath.Join(r.dir, p) }

func (r *scratchRoot) exists(p string) bool {
	_, err := os.Lstat(r.path(p))
	return err == nil
}

// TestDebPackage builds the package with scripts/deb/build.sh, checks its
// fields, contents and conffiles, installs it into a scratch root over a
// stand-in for stock keepalived (an upgrade in place), runs the installed
// binaries, reinstalls, removes and purges it, and renders the man pages.
func TestDebPackage(t *testing.T) {
	t.Parallel()
	requireDpkg(t)
	start := time.Now()
	deb := buildDeb(t, "")
	t.Logf("built %s in %v", filepath.Base(deb), time.Since(start).Round(time.Millisecond))
	checkDebContents(t, deb)
	checkDebControl(t, deb)
	checkReproducible(t, deb)

	r := newScratchRoot(t)
	r.dpkg("-i", fakeStockDeb(t))
	operatorConf := "! the operator's configuration\n"
	if err := os.WriteFile(r.path("etc/keepalived/keepalived.conf"), []byte(operatorConf), 0o644); err != nil {
		t.Fatal(err)
	}
	r.dpkg("-i", deb)
	if st := r.status("gokeepalived"); st != "install ok installed" {
		t.Errorf("gokeepalived status %q after install", st)
	}
	if st := r.status("keepalived"); st != "install ok config-files" && st != "" {
		t.Errorf("stock keepalived status %q after installing ours, want it removed", st)
	}
	checkOperatorConf := func(when string) {
		b, err := os.ReadFile(r.path("etc/keepalived/keepalived.conf"))
		if err != nil || string(b) != operatorConf {
			t.Errorf("%s: operator's keepalived.conf is %q, %v", when, b, err)
		}
	}
	checkOperatorConf("after install")
	// postinst enabled the unit through deb-systemd-helper, if present.
	if _, err := exec.LookPath("deb-systemd-helper"); err == nil {
		if !r.exists("etc/systemd/system/multi-user.target.wants/keepalived.service") {
			t.Error("postinst did not enable keepalived.service")
		}
	}

	// The installed binaries run and exit as stock keepalived's do:
	// -v exits 0 with the version on stderr; genhash -h exits 1.
	so, se, st := cmdRun(t, nil, r.path("usr/sbin/keepalived"), "-v")
	if st != 0 || !strings.HasPrefix(se, "Keepalived v2.2.7") || so != "" {
		t.Errorf("keepalived -v: status %d, stdout %q, stderr %q", st, so, se)
	}
	so, se, st = cmdRun(t, nil, r.path("usr/bin/genhash"), "-h")
	if st != 1 || !strings.Contains(se, "Usage: ") || !strings.Contains(se, "--use-virtualhost") || so != "" {
		t.Errorf("genhash -h: status %d, stdout %q, stderr %q", st, so, se)
	}

	// The sample configuration passes the installed binary's -t.
	if so, se, st := cmdRun(t, nil, r.path("usr/sbin/keepalived"), "-t", "-f", r.path("etc/keepalived/keepalived.conf.sample")); st != 0 {
		t.Errorf("keepalived -t on the sample: status %d\nstdout: %s\nstderr: %s", st, so, se)
	}

	// Reinstalling runs the upgrade paths of the scripts.
	r.dpkg("-i", deb)
	r.dpkg("--remove", "gokeepalived")
	if r.exists("usr/sbin/keepalived") {
		t.Error("remove left /usr/sbin/keepalived")
	}
	if !r.exists("etc/default/keepalived") {
		t.Error("remove deleted the conffile /etc/default/keepalived")
	}
	r.dpkg("--purge", "gokeepalived")
	for _, p := range []string{"etc/default/keepalived", "etc/keepalived/keepalived.conf.sample", "etc/systemd/system/multi-user.target.wants/keepalived.service"} {
		if r.exists(p) {
			t.Errorf("purge left /%s", p)
		}
	}
	checkOperatorConf("after purge")

	checkManPages(t, deb)
	t.Logf("whole test %v", time.Since(start).Round(time.Millisecond))
}

// checkReproducible packs the binary of deb again with the same
// SOURCE_DATE_EPOCH and wants the same bytes.
func checkReproducible(t *testing.T, deb string) {
	t.Helper()
	dir := t.TempDir()
	mustRun(t, nil, "dpkg-deb", "-x", deb, dir)
	again := buildDeb(t, filepath.Join(dir, "usr/sbin/keepalived"))
	a, err := os.ReadFile(deb)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(again)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("packing the same binary twice gave different packages (%d and %d bytes)", len(a), len(b))
	}
}

// overstrike matches the "x\bx" and "_\bx" pairs of man's tty output.
var overstrike = regexp.MustCompile(".\x08")

// checkManPages renders each man page of the package with man -l and
// fails on any groff or man warning. Skipped when man or groff is not
// installed (the tests do not install them).
func checkManPages(t *testing.T, deb string) {
	t.Helper()
	for _, tool := range []string{"man", "groff"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Logf("man pages not rendered: %s is not installed", tool)
			return
		}
	}
	dir := t.TempDir()
	mustRun(t, nil, "dpkg-deb", "-x", deb, dir)
	for _, p := range []string{"man8/keepalived.8.gz", "man5/keepalived.conf.5.gz", "man1/genhash.1.gz"} {
		so, se, st := cmdRun(t, []string{"MANWIDTH=80", "LC_ALL=C.UTF-8"},
			"man", "--warnings", "-l", filepath.Join(dir, "usr/share/man", p))
		if st != 0 || se != "" {
			t.Errorf("man -l %s: status %d, warnings:\n%s", p, st, se)
		}
		so = overstrike.ReplaceAllString(so, "")
		if !strings.Contains(so, "SYNOPSIS") || !strings.Contains(so, "SEE ALSO") {
			t.Errorf("man -l %s: rendered page lacks SYNOPSIS or SEE ALSO:\n%.300s", p, so)
		}
	}
}
