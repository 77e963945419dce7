# Figures for net/: a 10 MB body over TLS 1.3 on loopback, time and peak
# RSS for reflexe's client (tests/tools/httpget, the same http_client the
# applets use) and for curl in the same run; TLS handshakes for 100 small
# resources over keep-alive. Prints figures, asserts nothing on time.
. "$(dirname "$0")/../tests/lib.sh"
. "$TOP/tests/servers/netlib.sh"

net_pki
net_listen t13 rsa 1.3
net_start
U="https://localhost:$(port t13)"
N=10485760
RUNS=${RUNS:-5}

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

# measure LABEL CMD...: best wall time (ms, from the shell's clock: GNU
# time only has 10 ms steps) and peak RSS over $RUNS runs
measure() {
	local label=$1 best_t= best_m= t m t0 t1; shift
	for _ in $(seq "$RUNS"); do
		rm -f "$T_DIR/body"
		t0=$(date +%s%N)
		timed "$@" >/dev/null 2>"$T_DIR/err" || {
			echo "$label: failed: $(cat "$T_DIR/err")"
			return 1
		}
		t1=$(date +%s%N)
		[ "$(stat -c %s "$T_DIR/body")" = $N ] || { echo "$label: short body"; return 1; }
		t=$(( (t1 - t0) / 1000000 )) m=$(cat "$T_DIR/time")
		if [ -z "$best_t" ] || [ "$t" -lt "$best_t" ]; then
			best_t=$t best_m=$m
		fi
	done
	printf '%-8s %6s ms %8s KB peak RSS   (best of %s)\n' "$label" "$best_t" "$best_m" "$RUNS"
	eval "${label}_t=$best_t ${label}_m=$best_m"
}

echo "10 MB body over TLS 1.3 (RSA-2048 leaf, Python/OpenSSL server, loopback):"
"$HTTPGET" -o "$T_DIR/body" "$U/cl?n=$N" 2>/dev/null   # warm-up
measure httpget "$HTTPGET" -v -o "$T_DIR/body" "$U/cl?n=$N"
if command -v curl >/dev/null; then
	measure curl curl -sS --tlsv1.3 --cacert "$PKI/ca.pem" -o "$T_DIR/body" "$U/cl?n=$N"
	awk -v a="$httpget_t" -v b="$curl_t" -v c="$httpget_m" -v d="$curl_m" 'BEGIN {
		printf "ratio httpget/curl: time %.2f", (b > 0 ? a / b : 0)
		if (c + 0 > 0 && d + 0 > 0) printf ", peak RSS %.2f", c / d
		printf "\n" }'
	echo "curl: $(curl --version | head -1 | cut -d' ' -f1-5)"
else
	echo "curl not installed: no comparison"
fi

echo
urls=()
for i in $(seq 100); do urls+=("$U/cl?n=$i"); done
"$HTTPGET" -v "${urls[@]}" >/dev/null 2>"$T_DIR/err"
echo "100 small resources over keep-alive: $(grep -o 'handshakes=[0-9]* requests=[0-9]* reused=[0-9]*' "$T_DIR/err")"
echo "  (server side: $(srv_count '^conn t13$') TCP connections for $(srv_count '^req t13 ') requests, warm-up and timed runs included)"
