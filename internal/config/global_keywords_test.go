package config

import "testing"

// keepalived227Global lists the global and root keywords keepalived 2.2.7 (Debian) registers.
var keepalived227Global = []string{
	"bfd_cpu_affinity",
	"bfd_no_swap",
	"bfd_priority",
	"bfd_process_name",
	"bfd_rlimit_rtime",
	"bfd_rlimit_rttime",
	"bfd_rt_priority",
	"checker_cpu_affinity",
	"checker_log_all_failures",
	"checker_no_swap",
	"checker_priority",
	"checker_process_name",
	"checker_rlimit_rtime",
	"checker_rlimit_rttime",
	"checker_rt_priority",
	"child_wait_time",
	"config_save_dir",
	"data_use_instance",
	"dbus_service_name",
	"default_interface",
	"disable_local_igmp",
	"dynamic_interfaces",
	"enable_dbus",
	"enable_script_security",
	"enable_snmp_checker",
	"enable_snmp_keepalived",
	"enable_snmp_rfc",
	"enable_snmp_rfcv2",
	"enable_snmp_rfcv3",
	"enable_snmp_vrrp",
	"enable_traps",
	"fifo_write_vrrp_states_on_reload",
	"global_defs",
	"include_check",
	"instance",
	"linkbeat_use_polling",
	"log_unknown_vrids",
	"lvs_flush",
	"lvs_flush_on_stop",
	"lvs_flush_onstop",
	"lvs_netlink_cmd_rcv_bufs",
	"lvs_netlink_cmd_rcv_bufs_force",
	"lvs_netlink_monitor_rcv_bufs",
	"lvs_netlink_monitor_rcv_bufs_force",
	"lvs_notify_fifo",
	"lvs_notify_fifo_script",
	"lvs_process_name",
	"lvs_sync_daemon",
	"lvs_timeouts",
	"max_auto_priority",
	"min_auto_priority_delay",
	"namespace_with_ipsets",
	"net_namespace",
	"net_namespace_ipvs",
	"nftables",
	"nftables_counters",
	"nftables_ifindex",
	"nftables_ipvs",
	"nftables_ipvs_priority",
	"nftables_ipvs_start_fwmark",
	"nftables_priority",
	"no_checker_emails",
	"no_email_faults",
	"notification_email",
	"notification_email_from",
	"notify_fifo",
	"notify_fifo_script",
	"process_monitor_rcv_bufs",
	"process_monitor_rcv_bufs_force",
	"process_name",
	"process_names",
	"random_seed",
	"reload_check_config",
	"reload_file",
	"reload_repeat",
	"reload_time_file",
	"router_id",
	"rs_init_notifies",
	"script_user",
	"shutdown_script",
	"shutdown_script_timeout",
	"smtp_alert",
	"smtp_alert_checker",
	"smtp_alert_vrrp",
	"smtp_connect_timeout",
	"smtp_helo_name",
	"smtp_server",
	"snmp_socket",
	"startup_script",
	"startup_script_timeout",
	"tmp_config_directory",
	"umask",
	"use_pid_dir",
	"vmac_addr_prefix",
	"vmac_prefix",
	"vrrp_check_unicast_src",
	"vrrp_cpu_affinity",
	"vrrp_down_timer_adverts",
	"vrrp_garp_extra_if",
	"vrrp_garp_interval",
	"vrrp_garp_lower_prio_delay",
	"vrrp_garp_lower_prio_repeat",
	"vrrp_garp_master_delay",
	"vrrp_garp_master_refresh",
	"vrrp_garp_master_refresh_repeat",
	"vrrp_garp_master_repeat",
	"vrrp_gna_interval",
	"vrrp_higher_prio_send_advert",
	"vrrp_iptables",
	"vrrp_lower_prio_no_advert",
	"vrrp_mcast_group4",
	"vrrp_mcast_group6",
	"vrrp_min_garp",
	"vrrp_netlink_cmd_rcv_bufs",
	"vrrp_netlink_cmd_rcv_bufs_force",
	"vrrp_netlink_monitor_rcv_bufs",
	"vrrp_netlink_monitor_rcv_bufs_force",
	"vrrp_no_swap",
	"vrrp_notify_fifo",
	"vrrp_notify_fifo_script",
	"vrrp_notify_priority_changes",
	"vrrp_priority",
	"vrrp_process_name",
	"vrrp_rlimit_rtime",
	"vrrp_rlimit_rttime",
	"vrrp_rt_priority",
	"vrrp_rx_bufs_multiplier",
	"vrrp_rx_bufs_policy",
	"vrrp_skip_check_adv_addr",
	"vrrp_startup_delay",
	"vrrp_strict",
	"vrrp_version",
	"vrrp_vmac_garp_intvl",
}

func TestGlobalKeywordSet(t *testing.T) {
	have := map[string]bool{}
	for k := range globalRoots() {
		have[k] = true
	}
	for k := range globalTable() {
		have[k] = true
	}
	want := map[string]bool{}
	for _, k := range keepalived227Global {
		want[k] = true
		if !have[k] {
			t.Errorf("keyword %q not handled", k)
		}
	}
	// Accepted beyond 2.2.7: keepalived 2.3's dump file paths.
	for _, k := range []string{"state_dump_file", "stats_dump_file", "json_dump_file"} {
		want[k] = true
	}
	for k := range have {
		if !want[k] {
			t.Errorf("keyword %q is not a keepalived 2.2.7 keyword", k)
		}
	}
	if len(have) < 130 {
		t.Errorf("only %d keywords", len(have))
	}
}
