/*
 * TCP connections with deadlines. Names are resolved by musl's
 * getaddrinfo (IPv6 and IPv4, in the order it returns them); each address
 * is tried in turn with a non-blocking connect, sharing the connect
 * budget so that one black-holed address cannot eat it all. Resolution
 * itself has no deadline of ours: musl bounds it by resolv.conf's
 * timeout and attempts (5 s × 2 by default).
 */
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net/net.h"

int64_t net_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int sock_wait(int fd, int events, int64_t deadline)
{
	for (;;) {
		int64_t left = deadline - net_mono_ms();
		if (left <= 0)
			return 1;
		struct pollfd pfd = { .fd = fd, .events = (short)events };
		int r = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r > 0)
			return 0;
	}
}

static int dns_error(const char *host, const char *label, int e)
{
	enum msg_id why = e == EAI_NONAME ? M_DNS_NONAME
			  : e == EAI_AGAIN ? M_DNS_AGAIN : M_DNS_OTHER;
	(void)host;
	return err_set(E_NET_DNS, label, tr(why));
}

int sock_connect(const char *host, uint16_t port, int connect_ms, int64_t deadline)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res = NULL;
	char label[300], ps[8];
	int last = ECONNREFUSED, fd = -1, n = 0;

	url_hostport(host, port, label, sizeof label);
	snprintf(ps, sizeof ps, "%u", (unsigned)port);
	int r = getaddrinfo(host, ps, &hints, &res);
	if (r != 0)
		return dns_error(host, label, r);
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next)
		n++;

	int64_t end = net_mono_ms() + connect_ms;
	if (deadline && deadline < end)
		end = deadline;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next, n--) {
		int64_t now = net_mono_ms();
		if (now >= end) {
			last = ETIMEDOUT;
			break;
		}
		/* Each remaining address gets an equal share of what is left. */
		int64_t dl = now + (end - now) / n;
		fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			last = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		if (errno != EINPROGRESS) {
			last = errno;
			close(fd);
			fd = -1;
			continue;
		}
		int w = sock_wait(fd, POLLOUT, dl);
		int soerr = 0;
		socklen_t sl = sizeof soerr;
		if (w == 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0)
			break;
		last = w == 1 ? ETIMEDOUT : w < 0 ? errno : soerr;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		switch (last) {
		case ECONNREFUSED:
			return err_set(E_NET_REFUSED, label);
		case ETIMEDOUT:
			return err_set(E_NET_TIMEOUT, label, tr(M_TO_CONNECT), connect_ms);
		case ENETUNREACH:
		case EHOSTUNREACH:
		case EADDRNOTAVAIL:
		case EAFNOSUPPORT:
			return err_set(E_NET_UNREACH, label);
		default:
			return err_set(E_NET_CONNECT, label, strerror(last));
		}
	}
	/* Requests are small and answered before the next: no Nagle delay. */
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}
