package config

import (
	"time"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// globalTable is the global_defs keyword table: every keyword keepalived
// 2.2.7 (Debian build: no libipset, nftables) registers there.
func globalTable() table {
	t := table{
		// Identification, files, process control.
		"router_id":            (*parser).gRouterID,
		"process_names":        (*parser).gProcessNames,
		"process_name":         procName(func(g *GlobalDefs) *string { return &g.ProcessName }),
		"vrrp_process_name":    procName(func(g *GlobalDefs) *string { return &g.VRRPProcess.ProcessName }),
		"checker_process_name": procName(func(g *GlobalDefs) *string { return &g.CheckerProcess.ProcessName }),
		"lvs_process_name":     (*parser).gLVSProcessName,
		"bfd_process_name":     procName(func(g *GlobalDefs) *string { return &g.BFDProcess.ProcessName }),
		"umask":                (*parser).gUmask,
		"random_seed":          (*parser).gRandomSeed,
		"reload_check_config":  (*parser).gReloadCheckConfig,
		"reload_time_file":     (*parser).gReloadTimeFile,
		"reload_repeat":        flag(func(g *GlobalDefs) *bool { return &g.ReloadRepeat }),
		"reload_file":          (*parser).gReloadFile,
		"include_check":        (*parser).gIncludeCheck,
		"config_save_dir":      (*parser).gConfigSaveDir,
		"tmp_config_directory": (*parser).gTmpConfigDir,
		"data_use_instance": optBool("Invalid value '%s' for global date_use_instance specified",
			func(g *GlobalDefs, v bool) { g.DataUseInstance = v }),

		// Email.
		"notification_email":      (*parser).gNotificationEmail,
		"notification_email_from": (*parser).gEmailFrom,
		"smtp_server":             (*parser).gSMTPServer,
		"smtp_helo_name":          (*parser).gSMTPHelo,
		"smtp_connect_timeout":    (*parser).gSMTPTimeout,
		"smtp_alert":              smtpAlert("smtp_alert", func(g *GlobalDefs) *int { return &g.SMTPAlert }),
		"smtp_alert_vrrp":         smtpAlert("smtp_alert_vrrp", func(g *GlobalDefs) *int { return &g.SMTPAlertVRRP }),
		"smtp_alert_checker":      smtpAlert("smtp_alert_checker", func(g *GlobalDefs) *int { return &g.SMTPAlertChecker }),
		"no_email_faults":         flag(func(g *GlobalDefs) *bool { return &g.NoEmailFaults }),
		"no_checker_emails": optBool("Invalid value '%s' for global no_checker_emails specified",
			func(g *GlobalDefs, v bool) { g.NoCheckerEmails = v }),

		// FIFOs and scripts.
		"notify_fifo":             fifoKW("", func(g *GlobalDefs) *Fifo { return &g.NotifyFifo }),
		"notify_fifo_script":      fifoScriptKW("", func(g *GlobalDefs) *Fifo { return &g.NotifyFifo }),
		"vrrp_notify_fifo":        fifoKW("vrrp_", func(g *GlobalDefs) *Fifo { return &g.VRRPNotifyFifo }),
		"vrrp_notify_fifo_script": fifoScriptKW("vrrp_", func(g *GlobalDefs) *Fifo { return &g.VRRPNotifyFifo }),
		"lvs_notify_fifo":         fifoKW("lvs_", func(g *GlobalDefs) *Fifo { return &g.LVSNotifyFifo }),
		"lvs_notify_fifo_script":  fifoScriptKW("lvs_", func(g *GlobalDefs) *Fifo { return &g.LVSNotifyFifo }),
		"fifo_write_vrrp_states_on_reload": optBool("Invalid value '%s' for global fifo_write_vrrp_states_on_reload specified",
			func(g *GlobalDefs, v bool) { g.FifoWriteVRRPStatesOnReload = v }),
		"vrrp_notify_priority_changes": optBool("Invalid value '%s' for global vrrp_notify_priority_changes specified",
			func(g *GlobalDefs, v bool) { g.VRRPNotifyPriorityChanges = v }),
		"startup_script":          startStopScript("startup", func(g *GlobalDefs) **Script { return &g.StartupScript }),
		"shutdown_script":         startStopScript("shutdown", func(g *GlobalDefs) **Script { return &g.ShutdownScript }),
		"startup_script_timeout":  startStopTimeout("startup", func(g *GlobalDefs) *time.Duration { return &g.StartupScriptTimeout }),
		"shutdown_script_timeout": startStopTimeout("shutdown", func(g *GlobalDefs) *time.Duration { return &g.ShutdownScriptTimeout }),
		"script_user":             (*parser).gScriptUser,
		"enable_script_security":  flag(func(g *GlobalDefs) *bool { return &g.EnableScriptSecurity }),

		// LVS.
		"lvs_timeouts":      (*parser).gLVSTimeouts,
		"lvs_flush":         flag(func(g *GlobalDefs) *bool { return &g.LVSFlush }),
		"lvs_flush_on_stop": (*parser).gLVSFlushOnStop,
		"lvs_flush_onstop":  (*parser).gLVSFlushOnStop,
		"lvs_sync_daemon":   (*parser).gLVSSyncDaemon,
		"checker_log_all_failures": optBool("Invalid value for checker_log_all_failures specified",
			func(g *GlobalDefs, v bool) { g.CheckerLogAllFailures = v }),
		"rs_init_notifies": optBool("Invalid value '%s' for global rs_init_notifies specified",
			func(g *GlobalDefs, v bool) { g.RSInitNotifies = v }),
		"nftables_ipvs":          (*parser).gNftablesIPVS,
		"nftables_ipvs_priority": (*parser).gNftablesIPVSPriority,
		"nftables_ipvs_start_fwmark": intKeyword(1, maxUint32, "invalid ipvs nftables start_fwmark priority '%s'",
			func(g *GlobalDefs, v int64) { g.NftablesIPVSFwmark = int(v) }),

		// Dump files: keywords of keepalived 2.3 (2.2.7 has fixed paths),
		// accepted so the dumps can be placed where an exporter reads them.
		"state_dump_file": onceString("state_dump_file", "/tmp/keepalived.data",
			func(g *GlobalDefs) *string { return &g.StateDumpFile }),
		"stats_dump_file": onceString("stats_dump_file", "/tmp/keepalived.stats",
			func(g *GlobalDefs) *string { return &g.StatsDumpFile }),
		"json_dump_file": onceString("json_dump_file", "/tmp/keepalived.json",
			func(g *GlobalDefs) *string { return &g.JSONDumpFile }),

		// SNMP, D-Bus.
		"snmp_socket":            (*parser).gSNMPSocket,
		"enable_traps":           flag(func(g *GlobalDefs) *bool { return &g.EnableTraps }),
		"enable_snmp_vrrp":       flag(func(g *GlobalDefs) *bool { return &g.EnableSNMPVRRP }),
		"enable_snmp_keepalived": flag(func(g *GlobalDefs) *bool { return &g.EnableSNMPVRRP }),
		"enable_snmp_rfc":        (*parser).gSNMPRFC,
		"enable_snmp_rfcv2":      flag(func(g *GlobalDefs) *bool { return &g.EnableSNMPRFCv2 }),
		"enable_snmp_rfcv3":      flag(func(g *GlobalDefs) *bool { return &g.EnableSNMPRFCv3 }),
		"enable_snmp_checker":    flag(func(g *GlobalDefs) *bool { return &g.EnableSNMPChecker }),
		"enable_dbus":            flag(func(g *GlobalDefs) *bool { return &g.EnableDBus }),
		"dbus_service_name":      (*parser).gDBusServiceName,
	}
	for k, h := range globalVRRPTable() {
		t[k] = h
	}
	for k, h := range globalProcessTable() {
		t[k] = h
	}
	return t
}

// notImplementedGlobal lists the global keywords whose setting is parsed
// into the model but whose function the daemon does not perform.
var notImplementedGlobal = map[string]bool{
	"process_names": true, "process_name": true, "vrrp_process_name": true,
	"checker_process_name": true, "lvs_process_name": true, "bfd_process_name": true,
	"random_seed": true, "reload_check_config": true, "reload_time_file": true,
	"reload_repeat": true, "reload_file": true, "config_save_dir": true,
	"tmp_config_directory": true, "data_use_instance": true,
	"notification_email": true, "notification_email_from": true, "smtp_server": true,
	"smtp_helo_name": true, "smtp_connect_timeout": true, "smtp_alert": true,
	"smtp_alert_vrrp": true, "smtp_alert_checker": true, "no_email_faults": true,
	"no_checker_emails": true,
	"nftables_ipvs":     true, "nftables_ipvs_priority": true,
	"nftables_ipvs_start_fwmark": true,
	"snmp_socket":                true, "enable_traps": true, "enable_snmp_vrrp": true,
	"enable_snmp_keepalived": true, "enable_snmp_rfc": true, "enable_snmp_rfcv2": true,
	"enable_snmp_rfcv3": true, "enable_snmp_checker": true, "enable_dbus": true,
	"dbus_service_name":  true,
	"dynamic_interfaces": true, "disable_local_igmp": true, "vrrp_iptables": true,
	"nftables": true, "nftables_priority": true, "nftables_ifindex": true,
	"nftables_counters": true, "vrrp_rx_bufs_policy": true, "vrrp_rx_bufs_multiplier": true,
	"max_auto_priority": true, "min_auto_priority_delay": true,
	"vmac_addr_prefix": true,
}

// done marks a keyword as parsed, noting it when its function is not
// implemented.
func (p *parser) done(n *kaconf.Node) {
	if notImplementedGlobal[n.Keyword()] {
		p.notImplemented(n)
	}
}

// flag is a keyword that sets a boolean and takes no argument.
func flag(field func(*GlobalDefs) *bool) handler {
	return func(p *parser, n *kaconf.Node) {
		*field(&p.m.Global) = true
		p.done(n)
	}
}

// optBool is a keyword with an optional <BOOL> (absent = true); msg is
// keepalived's error for a bad value (with or without a %s).
func optBool(msg string, set func(*GlobalDefs, bool)) handler {
	return func(p *parser, n *kaconf.Node) {
		v, ok := kaBool(n)
		if !ok {
			p.badBool(n, msg)
			return
		}
		set(&p.m.Global, v)
		p.done(n)
	}
}

// badBool reports an invalid <BOOL> with keepalived's message.
func (p *parser) badBool(n *kaconf.Node, msg string) {
	if containsVerb(msg) {
		p.warnf(n, msg, arg(n, 1))
		return
	}
	p.warnf(n, "%s", msg)
}

func containsVerb(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '%' && s[i+1] == 's' {
			return true
		}
	}
	return false
}
