# Shared set-up for the net/ integration tests and bench/fetch.sh (sourced
# after tests/lib.sh): a PKI made now by tests/pki.sh, the Python/OpenSSL
# test server, and helpers to read its log.
HTTPGET=$TESTBIN/tests/tools/httpget
PKI=$T_DIR/pki
SRV_LOG=$T_DIR/server.log
NET_LISTEN=()

# net_pki: makes the PKI and points reflexe at its root.
net_pki() {
	if ! sh "$TOP/tests/pki.sh" "$PKI" >"$T_DIR/pki.log" 2>&1; then
		fail "tests/pki.sh could not make the test PKI"
		cat "$T_DIR/pki.log"
		exit 1
	fi
	export REFLEXE_CA_FILE=$PKI/ca.pem
}

# net_listen NAME CERT [TLS [HOST]]: one more listener for net_start.
# CERT is a name from tests/pki.sh; TLS any|1.2|1.3|old.
net_listen() {
	NET_LISTEN+=(--listen "$1:$PKI/$2.chain.pem:$PKI/$2.key:${3:-any}:${4:-127.0.0.1}")
}

# net_start: starts the server with every listener (killed at exit).
net_start() {
	: >"$SRV_LOG"
	bg python3 "$TOP/tests/servers/tlsserver.py" --ports "$T_DIR/ports" --log "$SRV_LOG" \
		"${NET_LISTEN[@]}" 2>"$T_DIR/server.err"
	if ! wait_file "$T_DIR/ports" 10; then
		fail "test server did not start"
		cat "$T_DIR/server.err"
		exit 1
	fi
}

port() { awk -v n="$1" '$1 == n { print $2 }' "$T_DIR/ports"; }

# srv_count PATTERN: lines of the server log matching (grep -E)
srv_count() { grep -Ec -- "$1" "$SRV_LOG"; }

# srv_wait PATTERN: waits up to 5 s for a server log line (the server
# logs from its own threads, a moment after the client is done)
srv_wait() {
	local i=0
	while ! grep -Eq -- "$1" "$SRV_LOG" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	grep -Eq -- "$1" "$SRV_LOG"
}

# is_listening PORT: something accepts TCP connections on 127.0.0.1:PORT
is_listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port: a TCP port nothing listens on right now (bash only: starting
# Python costs half a second here)
free_port() {
	local p
	for p in $(shuf -i 20000-60000 -n 50); do
		is_listening "$p" || { echo "$p"; return 0; }
	done
	return 1
}

# expected_body N: the bytes tlsserver.py sends for n=N
expected_body() { yes reflexe-test-data | head -c "$1"; }

# no_partial FILE: neither FILE nor any FILE.tmp.* was left behind
no_partial() { ! ls "$1" "$1".tmp.* >/dev/null 2>&1; }
