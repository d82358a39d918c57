package config

// SSLConfig is the root SSL block used by SSL_GET.
type SSLConfig struct{}

// VSGroup is a virtual_server_group block.
type VSGroup struct{}

// VirtualServer is a virtual_server block.
type VirtualServer struct{}

func lvsRoots() table { return table{} }

func (p *parser) finishLVS() {}
