# TLS client against Python/OpenSSL over loopback, certificates made now:
# TLS 1.2 and 1.3 with RSA and ECDSA leaves succeed; every bad chain and
# old protocol is refused with its own reason, before any HTTP byte.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/servers/netlib.sh"
o=$T_DIR/out e=$T_DIR/err

net_pki
net_listen rsa13 rsa 1.3
net_listen rsa12 rsa 1.2
net_listen ec13 ecdsa 1.3
net_listen ec12 ecdsa 1.2
net_listen v6 rsa any ::1
BAD="expired future wronghost selfsigned unknownroot rsa1024 sha1 nointermediate"
for bad in $BAD; do
	net_listen "$bad-1.2" "$bad" 1.2
	net_listen "$bad-1.3" "$bad" 1.3
done
net_listen old rsa old
net_start

# ---- what must work --------------------------------------------------------
for l in rsa13:TLSv1.3 rsa12:TLSv1.2 ec13:TLSv1.3 ec12:TLSv1.2; do
	name=${l%%:*} ver=${l#*:}
	"$HTTPGET" "https://localhost:$(port "$name")/small" >"$o" 2>"$e"; rc=$?
	check "$name: GET over $ver succeeds" bash -c "[ $rc = 0 ] && [ \"\$(cat '$o')\" = ok ]"
	check "$name: server negotiated $ver" srv_wait "^tls $name $ver$"
done
check "SNI carries the host name" srv_wait "^sni rsa13 localhost$"
"$HTTPGET" "https://127.0.0.1:$(port rsa13)/small" >"$o" 2>"$e"
check "IPv4 literal checked against the iPAddress SAN" contains "$o" "^ok$"
"$HTTPGET" "https://[::1]:$(port v6)/small" >"$o" 2>"$e"
check "IPv6 literal [::1] connects and verifies" contains "$o" "^ok$"

# ---- what must be refused, with its reason ---------------------------------
# refused NAME REASON-REGEX [HOST]: exit 3, the reason naming host:port,
# and the server never saw a request on that listener.
refused() {
	local name=$1 want=$2 host=${3:-localhost} p
	p=$(port "$name")
	"$HTTPGET" "https://$host:$p/small" >"$o" 2>"$e"; local rc=$?
	check "$name via $host: refused (exit 3, got $rc)" test $rc = 3
	check "$name via $host: says why ($want)" contains "$e" "$host:$p: .*$want"
	check "$name via $host: handshake aborted by the client" srv_wait "^tls-fail $name "
	check "$name via $host: no HTTP byte sent" bash -c "[ \$(grep -c '^req $name ' '$SRV_LOG') = 0 ]"
}
for v in 1.2 1.3; do
	refused "expired-$v" "server certificate expired"
	refused "future-$v" "not yet valid"
	refused "wronghost-$v" "does not match the host name"
	refused "wronghost-$v" "does not match the host name" 127.0.0.1
	refused "selfsigned-$v" "unknown certificate authority"
	refused "unknownroot-$v" "unknown certificate authority"
	refused "nointermediate-$v" "unknown certificate authority"
	refused "rsa1024-$v" "too weak"
	refused "sha1-$v" "too weak"
done
refused old "neither TLS 1.2 nor TLS 1.3"
# An ECDSA leaf for another name, reached by IP: the IP SAN decides.
"$HTTPGET" "https://127.0.0.1:$(port ec13)/small" >"$o" 2>"$e"
check "ECDSA leaf by IP literal" contains "$o" "^ok$"

# French, as a responder with LANG=fr sees it.
LANG=fr_FR.UTF-8 "$HTTPGET" "https://localhost:$(port expired-1.3)/small" >"$o" 2>"$e"
check "reason in French" contains "$e" "certificat du serveur expiré"

# ---- the trust store is ours, not the host's -------------------------------
# Without REFLEXE_CA_FILE only the compiled-in Microsoft/DigiCert roots
# count: the test root (and whatever the host trusts) is unknown.
env -u REFLEXE_CA_FILE "$HTTPGET" "https://localhost:$(port rsa13)/small" >"$o" 2>"$e"; rc=$?
check "compiled-in roots do not trust the test root" bash -c "[ $rc = 3 ] && grep -q 'unknown certificate authority' '$e'"
REFLEXE_CA_FILE=$PKI/other.pem "$HTTPGET" "https://localhost:$(port rsa13)/small" >"$o" 2>"$e"
check "REFLEXE_CA_FILE replaces the roots entirely" contains "$e" "unknown certificate authority"
REFLEXE_CA_FILE=$T_DIR/missing.pem "$HTTPGET" "https://localhost:$(port rsa13)/small" >"$o" 2>"$e"; rc=$?
check "unreadable REFLEXE_CA_FILE is an error" bash -c "[ $rc = 3 ] && grep -q 'REFLEXE_CA_FILE: cannot read' '$e'"
check "--version hashes the roots in use" bash -c \
	"[ \"\$(REFLEXE_CA_FILE='$PKI/ca.pem' '$REFLEXE' --version | tail -1)\" != \"\$(env -u REFLEXE_CA_FILE '$REFLEXE' --version | tail -1)\" ]"
REFLEXE_CA_FILE=$PKI/ca.pem "$REFLEXE" --version >"$o" 2>"$e"
check "--version says REFLEXE_CA_FILE replaced the compiled-in roots" bash -c \
	"grep -q '^roots from REFLEXE_CA_FILE=$PKI/ca.pem, used instead (SHA-256): [0-9a-f]\{64\}$' '$o' && \
	 [ \"\$(grep '^compiled-in' '$o')\" = \"\$(env -u REFLEXE_CA_FILE '$REFLEXE' --version | grep '^compiled-in')\" ]"

# ---- connection failures -----------------------------------------------------
# A listener whose accept queue is full drops new SYNs: connect() hangs
# until the connect timeout fires (loopback only, no routing needed).
full=$(free_port)
bg python3 -c "
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $full)); s.listen(0)
fill = []
for i in range(4):
    c = socket.socket(); c.setblocking(False)
    try: c.connect(('127.0.0.1', $full))
    except BlockingIOError: pass
    fill.append(c)
time.sleep(0.3); open('$T_DIR/full.up', 'w').write('1'); time.sleep(60)"
wait_file "$T_DIR/full.up" 5
"$HTTPGET" --connect-ms 400 "https://127.0.0.1:$full/small" >"$o" 2>"$e"; rc=$?
check "unanswered SYN: connect timeout named" bash -c "[ $rc = 3 ] && grep -q '127.0.0.1:$full: timed out (connect, 400 ms)' '$e'"
closed=$(free_port)
"$HTTPGET" "https://localhost:$closed/small" >"$o" 2>"$e"; rc=$?
check "closed port: connection refused" bash -c "[ $rc = 3 ] && grep -q 'localhost:$closed: connection refused' '$e'"
"$HTTPGET" "https://no-such-host.invalid/small" >"$o" 2>"$e"; rc=$?
check "unknown name: DNS failure" bash -c "[ $rc = 3 ] && grep -q 'no-such-host.invalid:443: host name not found in DNS' '$e'"
# A peer that accepts TCP and never speaks TLS: the handshake timeout fires.
mute=$(free_port)
bg python3 -c "import socket, time; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', $mute)); s.listen(8); open('$T_DIR/mute.up', 'w').write('1'); time.sleep(60)"
wait_file "$T_DIR/mute.up" 5
"$HTTPGET" --handshake-ms 400 "https://127.0.0.1:$mute/small" >"$o" 2>"$e"; rc=$?
check "silent peer: handshake timeout named" bash -c "[ $rc = 3 ] && grep -q '127.0.0.1:$mute: timed out (TLS handshake, 400 ms)' '$e'"
# A plain HTTP server on the port (a wrong port, a proxy's plain side).
plain=$(free_port)
bg python3 -c "
import http.server, socketserver
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self): self.send_response(200); self.end_headers(); self.wfile.write(b'ok')
socketserver.TCPServer.allow_reuse_address = True
s = socketserver.TCPServer(('127.0.0.1', $plain), H); open('$T_DIR/plain.up', 'w').write('1'); s.serve_forever()"
wait_file "$T_DIR/plain.up" 5
"$HTTPGET" --handshake-ms 3000 "https://127.0.0.1:$plain/small" >"$o" 2>"$e"; rc=$?
check "plain HTTP server: named as not speaking TLS" bash -c "[ $rc = 3 ] && grep -q '127.0.0.1:$plain: the server answers in plain text (HTTP?), not TLS' '$e'"
LANG=fr_FR.UTF-8 "$HTTPGET" --handshake-ms 3000 "https://127.0.0.1:$plain/small" >"$o" 2>"$e"
check "plain HTTP server: in French too" grep -q "127.0.0.1:$plain : le serveur répond en clair (HTTP ?), pas en TLS" "$e"
# nginx's way: a status line, then close.
plain2=$(free_port)
bg python3 -c "
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', $plain2)); s.listen(8)
open('$T_DIR/plain2.up', 'w').write('1')
while True:
    c, _ = s.accept(); c.recv(4096)
    c.sendall(b'HTTP/1.1 400 Bad Request\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n'); c.close()"
wait_file "$T_DIR/plain2.up" 5
"$HTTPGET" --handshake-ms 3000 "https://127.0.0.1:$plain2/small" >"$o" 2>"$e"; rc=$?
check "plain HTTP status line: named as not speaking TLS" bash -c "[ $rc = 3 ] && grep -q '127.0.0.1:$plain2: the server answers in plain text' '$e'"
