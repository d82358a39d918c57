/*
 * LD_PRELOAD shim for scripts/bench/checks.sh: lets stock keepalived's
 * checker process run on a host without the ip_vs module. keepalived's
 * ipvs_init() falls back from generic netlink to IPVS's socket options
 * (IP_VS_BASE_CTL = 1152 ... at level IPPROTO_IP); this answers
 * IP_VS_SO_GET_VERSION and IP_VS_SO_GET_INFO as ip_vs 1.2.1 would, other
 * gets with zeros, and accepts every IPVS set without doing anything.
 * Other socket options go to libc.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <string.h>
#include <stdio.h>
#include <sys/socket.h>
#include <netinet/in.h>
#define BASE 1152
static int ipvs(int level, int opt) { return level == IPPROTO_IP && opt >= BASE && opt < BASE + 32; }
int getsockopt(int fd, int level, int opt, void *val, socklen_t *len) {
	static int (*real)(int, int, int, void *, socklen_t *);
	if (!ipvs(level, opt)) {
		if (!real) real = dlsym(RTLD_NEXT, "getsockopt");
		return real(fd, level, opt, val, len);
	}
	memset(val, 0, *len);
	if (opt == BASE) snprintf(val, *len, "IP Virtual Server version 1.2.1 (size=4096)");
	if (opt == BASE + 1 && *len >= 12) { unsigned *u = val; u[0] = 0x010201; u[1] = 4096; }
	return 0;
}
int setsockopt(int fd, int level, int opt, const void *val, socklen_t len) {
	static int (*real)(int, int, int, const void *, socklen_t);
	if (ipvs(level, opt)) return 0;
	if (!real) real = dlsym(RTLD_NEXT, "setsockopt");
	return real(fd, level, opt, val, len);
}
