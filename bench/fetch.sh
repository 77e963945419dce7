# Figures for net/: a 10 MB body over TLS 1.3 on loopback, time and peak
# RSS for reflexe's client (tests/tools/httpget, the same http_client the
# applets use) and for curl in the same run, runs interleaved (httpget,
# curl, httpget…) so that a busy machine weighs on both alike; medians.
# Twice: against a server that takes the client's order of cipher suites
# (each client gets its first: reflexe AES-128-GCM; curl/OpenSSL
# AES-256-GCM), then one that picks
# its own (OpenSSL's: AES-256-GCM for both). Then TLS handshakes for 100
# small resources over keep-alive. Prints figures, asserts nothing on time.
. "$(dirname "$0")/../tests/lib.sh"
. "$TOP/tests/servers/netlib.sh"

net_pki
net_listen client rsa 1.3,client
net_listen server rsa 1.3
net_start
N=10485760
RUNS=${RUNS:-11}

# GNU time (Debian package "time") gives both programs' peak RSS the same
# way; without it, only httpget's own (-v prints its VmHWM).
if [ -x /usr/bin/time ]; then
	timed() { /usr/bin/time -f '%M' -o "$T_DIR/time" "$@"; }
else
	timed() {
		"$@" || return
		sed -n 's/^httpget: peak RSS \([0-9]*\) kB$/\1/p' "$T_DIR/err" >"$T_DIR/time"
		[ -s "$T_DIR/time" ] || echo "?" >"$T_DIR/time"
	}
fi

# once LABEL CMD...: one run; appends its wall time (0.1 ms, from the
# shell's clock: GNU time only has 10 ms steps) to $T_DIR/LABEL.t, its peak
# RSS to LABEL.m, and the suite the server logged to LABEL.s
once() {
	local label=$1 t0 t1; shift
	rm -f "$T_DIR/body"
	t0=$(date +%s%N)
	timed "$@" >/dev/null 2>"$T_DIR/err" || { echo "$label: failed: $(cat "$T_DIR/err")"; return 1; }
	t1=$(date +%s%N)
	[ "$(stat -c %s "$T_DIR/body")" = $N ] || { echo "$label: short body"; return 1; }
	echo $(( (t1 - t0) / 100000 )) >>"$T_DIR/$label.t"
	cat "$T_DIR/time" >>"$T_DIR/$label.m"
	sleep 0.05
	grep '^cipher ' "$SRV_LOG" | tail -1 | cut -d' ' -f3 >>"$T_DIR/$label.s"
}
# median FILE: the median line of a column of numbers
median() { sort -n "$1" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# compare LISTENER TITLE
compare() {
	local U="https://localhost:$(port "$1")/cl?n=$N" h=h$1 c=c$1
	echo "$2"
	"$HTTPGET" -o "$T_DIR/body" "$U" 2>/dev/null   # warm-up
	for _ in $(seq "$RUNS"); do
		once "$h" "$HTTPGET" -v -o "$T_DIR/body" "$U" || return
		command -v curl >/dev/null || continue
		once "$c" curl -sS --tlsv1.3 --cacert "$PKI/ca.pem" -o "$T_DIR/body" "$U" || return
	done
	local ht hm cm ct
	ht=$(median "$T_DIR/$h.t") hm=$(median "$T_DIR/$h.m")
	printf '  %-8s %6.1f ms (min %5.1f) %7s KB peak RSS  %s\n' httpget "$(echo "$ht" | awk '{print $1/10}')" \
		"$(sort -n "$T_DIR/$h.t" | head -1 | awk '{print $1/10}')" "$hm" "$(sort -u "$T_DIR/$h.s" | tr '\n' ' ')"
	if command -v curl >/dev/null; then
		ct=$(median "$T_DIR/$c.t") cm=$(median "$T_DIR/$c.m")
		printf '  %-8s %6.1f ms (min %5.1f) %7s KB peak RSS  %s\n' curl "$(echo "$ct" | awk '{print $1/10}')" \
			"$(sort -n "$T_DIR/$c.t" | head -1 | awk '{print $1/10}')" "$cm" "$(sort -u "$T_DIR/$c.s" | tr '\n' ' ')"
		awk -v a="$ht" -v b="$ct" -v c="$hm" -v d="$cm" 'BEGIN {
			printf "  ratio httpget/curl (medians): time %.2f", (b > 0 ? a / b : 0)
			if (c + 0 > 0 && d + 0 > 0) printf ", peak RSS %.2f", c / d
			printf "\n" }'
	fi
}

echo "10 MB body over TLS 1.3 (RSA-2048 leaf, Python/OpenSSL server, loopback), median of $RUNS runs each:"
compare client "server taking the client's order of suites:"
compare server "server picking its own suite (OpenSSL's order):"
command -v curl >/dev/null && echo "curl: $(curl --version | head -1 | cut -d' ' -f1-5)" ||
	echo "curl not installed: no comparison"

echo
# The cipher alone, the same work for both libraries: 16 KB records, as a
# TLS 1.3 peer sends them. mbedTLS 3.6 runs AES-NI and the GHASH multiply
# one 16-byte block at a time; OpenSSL interleaves several blocks.
echo "AES-GCM alone (16 KB records):"
"$TESTBIN/bench/gcm_bench" 100
if command -v openssl >/dev/null; then
	for b in 128 256; do
		openssl speed -evp aes-$b-gcm -bytes 16384 -seconds 1 2>/dev/null |
			awk -v b=$b '$1 == "AES-" b "-GCM" { v = $2; sub(/k$/, "", v)
				printf "  OpenSSL AES-%s-GCM (openssl speed), 16 KB records: %.0f MB/s\n", b, v * 1000 / 1048576 }'
	done
fi

echo
U="https://localhost:$(port client)"
urls=()
for i in $(seq 100); do urls+=("$U/cl?n=$i"); done
"$HTTPGET" -v "${urls[@]}" >/dev/null 2>"$T_DIR/err"
echo "100 small resources over keep-alive: $(grep -o 'handshakes=[0-9]* requests=[0-9]* reused=[0-9]*' "$T_DIR/err")"
echo "  (server side: $(srv_count '^conn client$') TCP connections for $(srv_count '^req client ') requests, warm-up and timed runs included)"
