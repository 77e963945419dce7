# HTTP/1.1 client against the Python/OpenSSL server: framing, faults,
# limits, keep-alive, redirects, the read-only guard. Every failing fetch
# must exit 3 with a reason and leave no output file, partial or not.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/servers/netlib.sh"
o=$T_DIR/out e=$T_DIR/err f=$T_DIR/body

net_pki
net_listen main rsa
net_listen ka rsa
net_listen drop rsa
net_listen guard rsa
net_listen v6 ecdsa any ::1
net_start
P=$(port main)
U=https://localhost:$P

# get NAME WANT-RC ARGS...: runs httpget -o $f, checks the exit status
get() {
	local n=$1 want=$2; shift 2
	rm -f "$f" "$f".tmp.*
	"$HTTPGET" -o "$f" "$@" >"$o" 2>"$e"; local rc=$?
	check "$n (exit $rc, want $want)" test "$rc" = "$want"
}
# fails NAME REASON ARGS...: exit 3, the reason on stderr, no file left
fails() {
	local n=$1 why=$2; shift 2
	get "$n" 3 "$@"
	check "$n: says '$why'" contains "$e" "$why"
	check "$n: no partial output file" no_partial "$f"
}

# ---- framings that end well --------------------------------------------------
expected_body 10485760 >"$T_DIR/ten"
get "10 MB, Content-Length" 0 "$U/cl?n=10485760"
check "10 MB, Content-Length: every byte" cmp -s "$f" "$T_DIR/ten"
get "10 MB, chunked" 0 "$U/chunked?n=10485760&size=16000"
check "10 MB, chunked: every byte" cmp -s "$f" "$T_DIR/ten"
# Streamed, not collected: peak memory stays far below the body size
# (the release build only; sanitizers have their own overhead).
case "$TESTBIN" in
*asan*) ;;
*)
	"$HTTPGET" -v -o "$f" "$U/cl?n=10485760" 2>"$e"
	rss=$(sed -n 's/^httpget: peak RSS \([0-9]*\) kB$/\1/p' "$e")
	check "10 MB streams in under 4 MB of memory (${rss:-?} kB)" test "${rss:-99999}" -lt 4096
	;;
esac
get "close-delimited with close_notify" 0 "$U/close?n=5000"
check "close-delimited: every byte" cmp -s "$f" <(expected_body 5000)
get "chunked, small chunks, extensions, trailer" 0 "$U/chunked?n=5000&size=7"
check "chunked small: every byte" cmp -s "$f" <(expected_body 5000)
get "empty body" 0 "$U/cl?n=0"
check "empty body: empty file" test -f "$f" -a ! -s "$f"
"$HTTPGET" "$U/small" >"$o" 2>"$e"
check "body to stdout without -o" contains "$o" "^ok$"
get "IPv6 loopback" 0 "https://[::1]:$(port v6)/cl?n=1000"

# ---- faults: no crash, no hang, no partial file -----------------------------
fails "close without close_notify" "no TLS close_notify came" "$U/close-nonotify?n=5000"
fails "server closes mid-body" "truncated response" "$U/midbody?n=100000"
fails "truncated chunked body" "truncated response" "$U/truncchunked"
fails "stall in the body: idle timeout" "timed out \(idle read, 500 ms\)" --idle-ms 500 "$U/stall?secs=3"
fails "stall before the response: idle timeout" "timed out \(idle read, 500 ms\)" --idle-ms 500 "$U/stall-head?secs=3"
fails "whole-request timeout" "timed out \(whole request, 700 ms\)" --idle-ms 5000 --total-ms 700 "$U/stall?secs=3"
fails "body over the limit (Content-Length)" "response body too large \(limit 1000 bytes\)" --max-body 1000 "$U/cl?n=5000"
fails "body over the limit (chunked)" "response body too large \(limit 1000 bytes\)" --max-body 1000 "$U/chunked?n=5000&size=300"
fails "body over the limit (close-delimited)" "response body too large \(limit 1000 bytes\)" --max-body 1000 "$U/close?n=5000"
fails "too many header lines" "too many header lines \(over 100\)" "$U/headers?n=150"
fails "header block over 64 KiB" "response headers too large" "$U/headers?n=2&size=40000"
fails "Transfer-Encoding with Content-Length" "Transfer-Encoding together with Content-Length" "$U/bad?kind=te-cl"
fails "conflicting Content-Length" "invalid or conflicting Content-Length" "$U/bad?kind=cl-dup"
fails "bare LF" "forbidden character" "$U/bad?kind=bare-lf"
fails "NUL in a header" "forbidden character" "$U/bad?kind=nul"
fails "obs-fold" "obs-fold" "$U/bad?kind=obs-fold"
fails "negative chunk size" "invalid chunked framing" "$U/bad?kind=bad-chunk"
get "non-2xx: exit 1" 1 "$U/nothing-here"
check "non-2xx: no output file" no_partial "$f"
LANG=fr_FR.UTF-8 "$HTTPGET" --idle-ms 300 "$U/stall-head?secs=2" >"$o" 2>"$e"
check "timeout reason in French" contains "$e" "délai dépassé \(aucune donnée reçue, 300 ms\)"

# ---- keep-alive --------------------------------------------------------------
"$HTTPGET" -v --repeat 100 "https://localhost:$(port ka)/small" >"$o" 2>"$e"
check "100 GETs: one handshake, 99 reused" contains "$e" "handshakes=1 requests=100 reused=99"
check "100 GETs: one TCP connection at the server" test "$(srv_count '^conn ka$')" = 1
check "100 GETs: 100 requests at the server" test "$(srv_count '^req ka GET /small ')" = 100
# One client per thread, PSA shared underneath (MBEDTLS_THREADING_C).
"$HTTPGET" -v --threads 8 --repeat 20 "$U/small" "$U/chunked?n=3000&size=100" >"$o" 2>"$e"; rc=$?
check "8 threads × 40 requests, one connection each" bash -c \
	"[ $rc = 0 ] && grep -q 'handshakes=8 requests=320 reused=312' '$e'"
# The server drops the kept-alive connection when the next request comes:
# an idempotent GET is resent once on a fresh connection.
"$HTTPGET" -v "https://localhost:$(port drop)/dropnext" "https://localhost:$(port drop)/small" >"$o" 2>"$e"; rc=$?
check "dead kept-alive connection: GET retried and succeeds" bash -c "[ $rc = 0 ] && grep -q 'handshakes=2 requests=3 reused=1' '$e'"
check "dead kept-alive connection: the retry reached the server" test "$(srv_count '^req drop GET /small ')" = 2
# Same, but the server's close_notify crosses the request (idle timeout race).
"$HTTPGET" -v "https://localhost:$(port drop)/dropnext?notify=1" "https://localhost:$(port drop)/small" >"$o" 2>"$e"; rc=$?
check "close_notify on a kept-alive connection: GET retried and succeeds" bash -c "[ $rc = 0 ] && grep -q 'handshakes=2 requests=3 reused=1' '$e'"
check "close_notify on a kept-alive connection: the retry reached the server" test "$(srv_count '^req drop GET /small ')" = 4

# ---- redirects -----------------------------------------------------------------
A="Authorization: Bearer test-token-123"
"$HTTPGET" -H "$A" "$U/redirect?to=/echo-auth" >"$o" 2>"$e"
check "same-origin redirect keeps Authorization" contains "$o" "^Bearer test-token-123$"
"$HTTPGET" -H "$A" "$U/redirect?to=https://127.0.0.1:$P/echo-auth" >"$o" 2>"$e"
check "redirect to another host drops Authorization" contains "$o" "^none$"
check "another host: the server saw no Authorization" srv_wait "^req main GET /echo-auth auth=- "
"$HTTPGET" -H "$A" "$U/redirect?to=https://localhost:$(port ka)/echo-auth&code=307" >"$o" 2>"$e"
check "redirect to another port drops Authorization" contains "$o" "^none$"
"$HTTPGET" -H "$A" "$U/redirect?to=https://127.0.0.1:$P/redirect%3Fto%3Dhttps://localhost:$P/echo-auth" >"$o" 2>"$e"
check "once dropped, Authorization stays dropped" contains "$o" "^none$"
"$HTTPGET" -v "$U/chain?n=5" >"$o" 2>"$e"
check "5 redirects are followed" contains "$o" "^end$"
fails "6 redirects: error" "too many redirects \(over 5\)" "$U/chain?n=6"
fails "redirect to http:// refused" "only https:// URLs are fetched" "$U/redirect?to=http://localhost:$P/small"
fails "redirect to an unusable Location" "redirect without a usable Location" "$U/redirect?to=https://bad%20host/"
pad=$(printf 'x%.0s' $(seq 3000))
"$HTTPGET" -v "$U/redirect?to=/small%3Fpad%3D$pad" >"$o" 2>"$e"
check "redirect to a 3,000-byte URL: the final URL is kept whole" contains "$e" "^httpget: 200 https://localhost:$P/small\\?pad=$pad \\("
for code in 301 302 303 307 308; do
	"$HTTPGET" "$U/redirect?to=/small&code=$code" >"$o" 2>"$e"
	check "redirect $code followed" contains "$o" "^ok$"
done

# ---- POST (under a policy that lets it through) -------------------------------
CT="Content-Type: application/x-www-form-urlencoded"
"$HTTPGET" --allow-post -H "$CT" --post 'a=1&b=2' "$U/echo" >"$o" 2>"$e"
check "POST: body sent with its Content-Length" contains "$o" "^POST application/x-www-form-urlencoded 7 a=1&b=2$"
"$HTTPGET" --allow-post -H "$CT" --post 'a=1' "$U/redirect?to=/echo&code=303" >"$o" 2>"$e"
check "POST then 303: GET, no body, no Content-Type" contains "$o" "^GET - 0 $"
"$HTTPGET" --allow-post -H "$CT" --post 'a=1' "$U/redirect?to=/echo&code=302" >"$o" 2>"$e"
check "POST then 302: GET, as browsers do" contains "$o" "^GET - 0 $"
"$HTTPGET" --allow-post -H "$CT" --post 'a=1' "$U/redirect?to=/echo&code=307" >"$o" 2>"$e"
check "POST then 307: POST again, same body" contains "$o" "^POST application/x-www-form-urlencoded 3 a=1$"
"$HTTPGET" --allow-post -H "$CT" --post 'a=1' "$U/redirect?to=/echo&code=308" >"$o" 2>"$e"
check "POST then 308: POST again, same body" contains "$o" "^POST application/x-www-form-urlencoded 3 a=1$"
# A POST is not resent on a dead kept-alive connection unless the caller
# says it is idempotent. (httpget sends its list with the one method, so
# the connection is primed with a POST to /dropnext.)
D="https://localhost:$(port drop)"
n0=$(srv_count '^req drop POST /small ')
"$HTTPGET" -v --allow-post --post x "$D/dropnext" "$D/small" >"$o" 2>"$e"; rc=$?
check "dead kept-alive connection: POST not resent, clear error" bash -c \
	"[ $rc = 3 ] && grep -q 'localhost:$(port drop): connection closed before the response' '$e'"
check "dead kept-alive connection: the POST reached the server once" test "$(srv_count '^req drop POST /small ')" = $((n0 + 1))
"$HTTPGET" -v --allow-post --idempotent --post x "$D/dropnext" "$D/small" >"$o" 2>"$e"; rc=$?
check "dead kept-alive connection: idempotent POST resent once" bash -c \
	"[ $rc = 0 ] && grep -q 'handshakes=2 requests=3 reused=1' '$e' && [ $(srv_count '^req drop POST /small ') = $((n0 + 3)) ]"

# ---- read-only guard: refused means not even a connection ------------------
"$HTTPGET" --post 'x=1' "https://localhost:$(port guard)/small" >"$o" 2>"$e"; rc=$?
check "POST refused by the GET-only policy" bash -c "[ $rc = 3 ] && grep -q 'POST request refused: read-only' '$e'"
sleep 0.2
check "refused POST: the server saw no connection" test "$(srv_count '^conn guard$')" = 0
"$HTTPGET" --deny-host 127.0.0.1 "https://localhost:$(port guard)/redirect?to=https://127.0.0.1:$(port guard)/small" >"$o" 2>"$e"; rc=$?
check "redirect hop goes through the policy" bash -c "[ $rc = 3 ] && grep -q 'request to 127.0.0.1 refused by the access policy' '$e'"
check "refused hop: only the first request was sent" test "$(srv_count '^req guard ')" = 1
