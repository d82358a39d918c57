package config

// RootDefs holds root-level settings that precede global_defs
// (net_namespace, instance, use_pid_dir, ...).
type RootDefs struct{}

// GlobalDefs is the global_defs block.
type GlobalDefs struct{}

func defaultGlobal() GlobalDefs { return GlobalDefs{} }

func globalRoots() table { return table{} }

func (p *parser) finishGlobal() {}

// checkScripts applies script existence and script-security rules to every
// script parsed.
func (p *parser) checkScripts() {}
