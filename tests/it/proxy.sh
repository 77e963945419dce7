# Through a real proxy from Debian (tinyproxy) started here on loopback:
# CONNECT works, no_proxy bypasses it, --proxy wins, 407 and 502 give
# clear errors, credentials never show, verification holds in the tunnel.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/servers/netlib.sh"
o=$T_DIR/out e=$T_DIR/err

if ! command -v tinyproxy >/dev/null; then
	fail "tinyproxy is not installed (build.sh installs it)"
	exit 1
fi
net_pki
net_listen main rsa
net_listen expired expired
net_start
P=$(port main)
closed=$(free_port)

# tproxy NAME [EXTRA CONFIG LINES...]: starts tinyproxy in the foreground
# (killed at exit) with its config, pid and log in the test folder, and
# sets $NAME_PORT.
tproxy() {
	local n=$1; shift
	local pp; pp=$(free_port)
	{
		echo "Port $pp"
		echo "Listen 127.0.0.1"
		echo "Timeout 10"
		echo "Allow 127.0.0.1"
		# The default list is 443 and 563 only: allow the test ports.
		echo "ConnectPort $P"
		echo "ConnectPort $(port expired)"
		echo "ConnectPort $closed"
		echo "PidFile \"$T_DIR/$n.pid\""
		echo "LogFile \"$T_DIR/$n.log\""
		echo "LogLevel Info"
		echo "MaxClients 16"
		for l in "$@"; do echo "$l"; done
	} >"$T_DIR/$n.conf"
	: >"$T_DIR/$n.log"
	bg tinyproxy -d -c "$T_DIR/$n.conf" >"$T_DIR/$n.out" 2>&1
	local i=0
	while ! is_listening "$pp"; do
		i=$((i + 1))
		if [ $i -gt 50 ] || ! kill -0 "${T_PIDS[-1]}" 2>/dev/null; then
			fail "tinyproxy $n did not start"
			cat "$T_DIR/$n.out" "$T_DIR/$n.log"
			exit 1
		fi
		sleep 0.1
	done
	eval "${n}_PORT=$pp"
}
tproxy open
tproxy auth "BasicAuth reflexe s3cret-pw"
X=http://127.0.0.1:$open_PORT
connects() { grep -c "CONNECT localhost:$1" "$T_DIR/$2.log"; }

# ---- the tunnel works ---------------------------------------------------------
https_proxy=$X "$HTTPGET" -v "https://localhost:$P/small" >"$o" 2>"$e"
check "https_proxy: GET through CONNECT" contains "$o" "^ok$"
check "https_proxy: tinyproxy saw the CONNECT" test "$(connects "$P" open)" = 1
check "through the tunnel, SNI is the origin's name" test "$(srv_count '^sni main localhost$')" = 1
HTTPS_PROXY=$X "$HTTPGET" "https://localhost:$P/cl?n=300000" >"$o" 2>"$e"
check "HTTPS_PROXY: 300 KB through the tunnel" test "$(stat -c %s "$o")" = 300000
check "HTTPS_PROXY: tinyproxy saw the CONNECT" test "$(connects "$P" open)" = 2
https_proxy=127.0.0.1:$open_PORT "$HTTPGET" "https://localhost:$P/small" >"$o" 2>"$e"
check "https_proxy without a scheme means http://" bash -c "grep -q '^ok$' '$o' && [ $(connects "$P" open) = 3 ]"
"$HTTPGET" -v --repeat 5 --proxy "$X" "https://localhost:$P/small" >"$o" 2>"$e"
check "keep-alive through the proxy: one tunnel" contains "$e" "handshakes=1 requests=5 reused=4"
https_proxy=http://127.0.0.1:$closed "$HTTPGET" --proxy "$X" "https://localhost:$P/small" >"$o" 2>"$e"
check "--proxy wins over https_proxy" contains "$o" "^ok$"
# Verification is end to end: the proxy changes nothing.
https_proxy=$X "$HTTPGET" "https://localhost:$(port expired)/small" >"$o" 2>"$e"
check "certificate still verified through the tunnel" contains "$e" "through proxy 127.0.0.1:$open_PORT: localhost:$(port expired): server certificate expired"

# ---- no_proxy --------------------------------------------------------------------
before=$(connects "$P" open)
https_proxy=$X no_proxy=localhost "$HTTPGET" "https://localhost:$P/small" >"$o" 2>"$e"
check "no_proxy=localhost: direct" bash -c "grep -q '^ok$' '$o' && [ $(connects "$P" open) = $before ]"
https_proxy=http://127.0.0.1:$closed NO_PROXY=".example.com, 127.0.0.0/8" "$HTTPGET" "https://127.0.0.1:$P/small" >"$o" 2>"$e"
check "NO_PROXY CIDR bypasses a dead proxy" contains "$o" "^ok$"
https_proxy=http://127.0.0.1:$closed no_proxy="*" "$HTTPGET" "https://localhost:$P/small" >"$o" 2>"$e"
check "no_proxy=* bypasses everything" contains "$o" "^ok$"
https_proxy=http://127.0.0.1:$closed no_proxy="localhost:1" "$HTTPGET" "https://localhost:$P/small" >"$o" 2>"$e"; rc=$?
check "no_proxy with another port does not apply" bash -c "[ $rc = 3 ] && grep -q 'proxy: 127.0.0.1:$closed: connection refused' '$e'"

# ---- errors name the proxy -------------------------------------------------------
"$HTTPGET" --proxy "$X" "https://localhost:$closed/small" >"$o" 2>"$e"; rc=$?
check "CONNECT to a closed port: clear error naming the proxy" bash -c \
	"[ $rc = 3 ] && grep -Eq 'proxy 127.0.0.1:$open_PORT refused the tunnel to localhost:$closed \(HTTP status 5[0-9][0-9]\)' '$e'"
A=http://127.0.0.1:$auth_PORT
"$HTTPGET" --proxy "$A" "https://localhost:$P/small" >"$o" 2>"$e"; rc=$?
check "407 without credentials: clear error" bash -c "[ $rc = 3 ] && grep -q 'proxy 127.0.0.1:$auth_PORT requires authentication (HTTP status 407)' '$e'"
"$HTTPGET" --proxy "http://reflexe:wrong-pw@127.0.0.1:$auth_PORT" "https://localhost:$P/small" >"$o" 2>"$e"; rc=$?
check "wrong credentials: clear error (tinyproxy says 401)" bash -c "[ $rc = 3 ] && grep -Eq 'requires authentication \(HTTP status 40[17]\)' '$e'"
check "wrong credentials never printed" bash -c "! grep -q 'wrong-pw' '$e'"
"$HTTPGET" -v --proxy "http://reflexe:s3cret%2Dpw@127.0.0.1:$auth_PORT" "https://localhost:$P/small" >"$o" 2>"$e"
check "Basic auth from the URL's user info (percent-decoded)" contains "$o" "^ok$"
check "credentials never printed" bash -c "! grep -q 's3cr' '$e'"
"$HTTPGET" --proxy "https://127.0.0.1:$open_PORT" "https://localhost:$P/small" >"$o" 2>"$e"
check "https:// proxy refused plainly" contains "$e" "only an http:// proxy \(CONNECT method\) is supported"
"$HTTPGET" --proxy "http://127.0.0.1:$closed" "https://localhost:$P/small" >"$o" 2>"$e"
check "dead proxy: connection refused, naming it" contains "$e" "proxy: 127.0.0.1:$closed: connection refused"
"$HTTPGET" --proxy "not a url" "https://localhost:$P/small" >"$o" 2>"$e"
check "bad proxy URL" contains "$e" "proxy URL: invalid URL"
