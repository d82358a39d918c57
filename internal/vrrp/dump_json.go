package vrrp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/core"
)

// jsonInstance is one element of keepalived 2.2.7's JSON dump (the JSON
// signal, /tmp/keepalived.json): the instance's data and its counters.
// Field order and types follow vrrp_json.c.
type jsonInstance struct {
	Data  jsonData  `json:"data"`
	Stats jsonStats `json:"stats"`
}

// jsonData is the "data" object. Optional members (scripts, address and
// tracking lists, auth_data) are left out when empty, as keepalived does.
type jsonData struct {
	Iname                string   `json:"iname"`
	DontTrackPrimary     int      `json:"dont_track_primary"`
	SkipCheckAdvAddr     int      `json:"skip_check_adv_addr"`
	StrictMode           int      `json:"strict_mode"`
	VMACIfname           string   `json:"vmac_ifname"`
	IfpIfname            string   `json:"ifp_ifname,omitempty"`
	MasterPriority       int      `json:"master_priority"`
	LastTransition       unixTime `json:"last_transition"`
	GARPDelay            shortNum `json:"garp_delay"`
	GARPRefresh          int64    `json:"garp_refresh"`
	GARPRep              int      `json:"garp_rep"`
	GARPRefreshRep       int      `json:"garp_refresh_rep"`
	GARPLowerPrioDelay   int64    `json:"garp_lower_prio_delay"`
	GARPLowerPrioRep     int      `json:"garp_lower_prio_rep"`
	LowerPrioNoAdvert    int      `json:"lower_prio_no_advert"`
	HigherPrioSendAdvert int      `json:"higher_prio_send_advert"`
	VRID                 int      `json:"vrid"`
	BasePriority         int      `json:"base_priority"`
	EffectivePriority    int      `json:"effective_priority"`
	VIPSet               bool     `json:"vipset"`
	PromoteSecondaries   bool     `json:"promote_secondaries"`
	AdverInt             shortNum `json:"adver_int"`
	MasterAdverInt       shortNum `json:"master_adver_int"`
	Accept               int      `json:"accept"`
	Nopreempt            bool     `json:"nopreempt"`
	PreemptDelay         int64    `json:"preempt_delay"`
	State                int      `json:"state"`
	Wantstate            int      `json:"wantstate"`
	Version              int      `json:"version"`
	SMTPAlert            bool     `json:"smtp_alert"`
	NotifyDeleted        bool     `json:"notify_deleted"`
	ScriptBackup         string   `json:"script_backup,omitempty"`
	ScriptMaster         string   `json:"script_master,omitempty"`
	ScriptFault          string   `json:"script_fault,omitempty"`
	ScriptStop           string   `json:"script_stop,omitempty"`
	ScriptDeleted        string   `json:"script_deleted,omitempty"`
	Script               string   `json:"script,omitempty"`
	ScriptMasterRxLower  string   `json:"script_master_rx_lower_pri,omitempty"`
	VIPs                 []string `json:"vips,omitempty"`
	EVIPs                []string `json:"evips,omitempty"`
	TrackIfp             []string `json:"track_ifp,omitempty"`
	TrackScript          []string `json:"track_script,omitempty"`
	AuthType             int      `json:"auth_type"`
	AuthData             *string  `json:"auth_data,omitempty"`
}

// jsonStats is the "stats" object: the counters of the stats file.
type jsonStats struct {
	AdvertRcvd        uint64 `json:"advert_rcvd"`
	AdvertSent        uint64 `json:"advert_sent"`
	BecomeMaster      uint64 `json:"become_master"`
	ReleaseMaster     uint64 `json:"release_master"`
	PacketLenErr      uint64 `json:"packet_len_err"`
	AdvertIntervalErr uint64 `json:"advert_interval_err"`
	IPTTLErr          uint64 `json:"ip_ttl_err"`
	InvalidTypeRcvd   uint64 `json:"invalid_type_rcvd"`
	AddrListErr       uint64 `json:"addr_list_err"`
	InvalidAuthType   uint64 `json:"invalid_authtype"`
	AuthTypeMismatch  uint64 `json:"authtype_mismatch"`
	AuthFailure       uint64 `json:"auth_failure"`
	PriZeroRcvd       uint64 `json:"pri_zero_rcvd"`
	PriZeroSent       uint64 `json:"pri_zero_sent"`
}

// unixTime is a time printed as seconds since the epoch with six
// decimals (keepalived's "%f" of a timeval); 0.000000 for the zero time.
type unixTime time.Time

// MarshalJSON prints t as seconds.microseconds.
func (t unixTime) MarshalJSON() ([]byte, error) {
	tt := time.Time(t)
	if tt.IsZero() {
		return []byte("0.000000"), nil
	}
	return fmt.Appendf(nil, "%d.%06d", tt.Unix(), tt.Nanosecond()/1000), nil
}

// shortNum is a number printed in its shortest form ("1", "0.5"), as
// keepalived's "%g" prints seconds.
type shortNum float64

// MarshalJSON prints f in its shortest form.
func (f shortNum) MarshalJSON() ([]byte, error) {
	return strconv.AppendFloat(nil, float64(f), 'g', -1, 64), nil
}

// WriteJSON writes keepalived's JSON dump of every instance: one array of
// {"data": ..., "stats": ...} objects, compact, newline-terminated.
func (s *Subsystem) WriteJSON(w io.Writer) error {
	var encErr error
	cmds := s.scriptCommands()
	err := s.snapshot(w, func(b *bytes.Buffer, l *loop) {
		out := make([]jsonInstance, 0, len(l.insts))
		for _, in := range l.insts {
			out = append(out, jsonInstance{Data: in.jsonData(cmds), Stats: toJSONStats(in.statsWithDrops())})
		}
		enc := json.NewEncoder(b)
		enc.SetEscapeHTML(false)
		encErr = enc.Encode(out)
	})
	if err != nil {
		return err
	}
	return encErr
}

// scriptCommands maps each running vrrp_script to its command as
// keepalived prints it; asked off the loop (the trackers report to it).
func (s *Subsystem) scriptCommands() map[string]string {
	s.mu.Lock()
	ss, ok := s.deps.Trackers.(scriptStatuser)
	s.mu.Unlock()
	if !ok {
		return nil
	}
	cmds := map[string]string{}
	for _, st := range ss.ScriptStatuses() {
		cmds[st.Name] = cmdString(&config.Script{Args: st.Args})
	}
	return cmds
}

// jsonData fills the "data" object; it runs on the loop goroutine. cmds
// are the tracked scripts' commands by name.
func (in *instance) jsonData(cmds map[string]string) jsonData {
	c := in.m.Config()
	vi := in.vi
	if vi == nil {
		vi = &config.VRRPInstance{}
	}
	d := jsonData{
		Iname:                in.spec.Name,
		DontTrackPrimary:     b2i(vi.DontTrackPrimary),
		SkipCheckAdvAddr:     b2i(c.SkipCheckAdvAddr),
		StrictMode:           b2i(c.Strict),
		IfpIfname:            in.spec.Net.Interface,
		LastTransition:       unixTime(in.transition),
		GARPDelay:            shortNum(c.GARPMasterDelay.Seconds()),
		GARPRefresh:          int64(c.GARPMasterRefresh / time.Second),
		GARPRep:              c.GARPMasterRepeat,
		GARPRefreshRep:       c.GARPMasterRefreshRepeat,
		GARPLowerPrioDelay:   int64(c.GARPLowerPrioDelay / time.Second),
		GARPLowerPrioRep:     c.GARPLowerPrioRepeat,
		LowerPrioNoAdvert:    b2i(c.LowerPrioNoAdvert),
		HigherPrioSendAdvert: b2i(c.HigherPrioSendAdvert),
		VRID:                 c.VRID,
		BasePriority:         c.Priority,
		EffectivePriority:    in.m.EffectivePriority(),
		VIPSet:               in.m.VIPsSet(),
		PromoteSecondaries:   vi.PromoteSecondaries,
		AdverInt:             shortNum(c.AdvertInterval.Seconds()),
		MasterAdverInt:       shortNum(c.AdvertInterval.Seconds()),
		Accept:               b2i(in.m.Accept()),
		Nopreempt:            c.Nopreempt,
		PreemptDelay:         int64(c.PreemptDelay / time.Second),
		State:                jsonState(in.m.State()),
		Wantstate:            jsonState(in.wantState()),
		Version:              c.Version,
		SMTPAlert:            vi.SMTPAlert == 1,
		NotifyDeleted:        vi.Notify.DeletedSet,
		ScriptBackup:         cmdString(in.spec.Notify.Backup),
		ScriptMaster:         cmdString(in.spec.Notify.Master),
		ScriptFault:          cmdString(in.spec.Notify.Fault),
		ScriptStop:           cmdString(in.spec.Notify.Stop),
		ScriptDeleted:        cmdString(in.spec.Notify.Deleted),
		Script:               cmdString(in.spec.Notify.Any),
		ScriptMasterRxLower:  cmdString(in.spec.Notify.MasterRxLowerPri),
		VIPs:                 in.vipStrings(in.spec.Addrs.VIPs),
		EVIPs:                in.vipStrings(in.spec.Addrs.EVIPs),
		AuthType:             int(in.spec.Net.AuthType),
	}
	if vi.UseVMAC {
		d.VMACIfname = vi.VMACName
		if d.VMACIfname == "" {
			d.VMACIfname = "vrrp." + strconv.Itoa(c.VRID)
		}
	}
	if in.m.MasterAddr().IsValid() {
		d.MasterPriority = in.m.MasterPriority()
	}
	if iv := in.m.MasterAdverInterval(); iv > 0 {
		d.MasterAdverInt = shortNum(iv.Seconds())
	}
	for _, t := range vi.TrackInterfaces {
		d.TrackIfp = append(d.TrackIfp, t.Name)
	}
	for _, t := range vi.TrackScripts {
		if c, ok := cmds[t.Name]; ok {
			d.TrackScript = append(d.TrackScript, c)
		}
	}
	if d.AuthType != 0 {
		pass := strings.TrimRight(string(in.spec.Net.AuthPass[:]), "\x00")
		d.AuthData = &pass
	}
	return d
}

// toJSONStats copies the counters into the "stats" object.
func toJSONStats(s Stats) jsonStats {
	return jsonStats{
		AdvertRcvd: s.AdvertRcvd, AdvertSent: s.AdvertSent,
		BecomeMaster: s.BecomeMaster, ReleaseMaster: s.ReleaseMaster,
		PacketLenErr: s.PacketLenErr, AdvertIntervalErr: s.AdvertIntervalErr,
		IPTTLErr: s.IPTTLErr, InvalidTypeRcvd: s.InvalidTypeRcvd,
		AddrListErr: s.AddrListErr, InvalidAuthType: s.InvalidAuthType,
		AuthTypeMismatch: s.AuthTypeMismatch, AuthFailure: s.AuthFailure,
		PriZeroRcvd: s.PriZeroRcvd, PriZeroSent: s.PriZeroSent,
	}
}

// jsonState is keepalived's number for a state (VRRP_STATE_*): INIT 0,
// BACKUP 1, MASTER 2, FAULT 3, STOP 98.
func jsonState(s State) int {
	if s == StateStop {
		return 98
	}
	return int(s)
}

// cmdString prints a script as keepalived's cmd_str does: each argument
// in single quotes, separated by spaces; "" for none.
func cmdString(s *config.Script) string {
	if s == nil || len(s.Args) == 0 {
		return ""
	}
	q := make([]string, len(s.Args))
	for i, a := range s.Args {
		q[i] = "'" + a + "'"
	}
	return strings.Join(q, " ")
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

var (
	_ core.JSONWriter   = (*Subsystem)(nil)
	_ core.StatsClearer = (*Subsystem)(nil)
)
