# The USB crisis kit (kit/assemble.sh, make kit): assembled into a temp
# folder with both binaries (x86_64, and aarch64 from TESTBIN_aarch64),
# its SHA256SUMS verifies and catches a changed byte, the launcher picks
# the binary by `uname -m` (a stand-in uname on PATH) and says plainly
# when none fits, falls back to a verified private copy when the binary
# cannot be run in place, the FAT/exFAT rules hold, the demo case verifies
# and gives offline the findings of its live run, and every reflexe
# command the two playbooks print is one this binary accepts (so they
# cannot drift). Under make check (REFLEXE_SANITIZED) the kit holds the
# sanitizer build alone: everything runs but the static/stripped and
# aarch64 checks of a release kit. tests/it/fat.sh runs it from a FAT32
# volume.
. "$(dirname "$0")/../lib.sh"
T=$T_DIR
o=$T/out e=$T/err
V=$("$REFLEXE" --version | sed -n '1s/^reflexe //p')
ANY=
[ -n "${REFLEXE_SANITIZED:-}" ] && ANY=--any-binary
chk() { python3 "$TOP/tests/fixtures/admins/check.py" "$@"; }
# Kept off the network: an offline run that tried to reach anything
# would meet a closed port.
NONET="env -u REFLEXE_CA_FILE -u AZURE_CLIENT_ID -u AZURE_CLIENT_SECRET -u REFLEXE_CASE"
NONET="$NONET AZURE_AUTHORITY_HOST=https://127.0.0.1:9 REFLEXE_GRAPH_URL=https://127.0.0.1:9"
NONET="$NONET REFLEXE_EXO_URL=https://127.0.0.1:9 https_proxy=http://127.0.0.1:9 REFLEXE_KEYRING=off REFLEXE_WHO=tests"

A64=
[ -z "${REFLEXE_SANITIZED:-}" ] && A64=${TESTBIN_aarch64:+$TESTBIN_aarch64/reflexe}
BINS=(--bin "$REFLEXE")
[ -n "$A64" ] && BINS+=(--bin "$A64")
# A real kit holds both: without the aarch64 binary (make test with
# ARCH=x86_64) the kit is assembled with --any-binary.
[ -z "$A64" ] && ANY=--any-binary

# ---- assembly ---------------------------------------------------------------------
sh "$TOP/kit/assemble.sh" -o "$T/kit" "${BINS[@]}" --tar $ANY >"$T/asm.out" 2>"$T/asm.err"; rc=$?
if [ $rc != 0 ]; then
	fail "assemble: exit 0 (got $rc)"; cat "$T/asm.err"; exit 1
fi
pass "assemble: exit 0"
K=$T/kit/reflexe-kit-$V
check "assemble: the kit folder is named after the binary's version ($V)" test -d "$K"
check "assemble: tells how to verify the stick" contains "$T/asm.out" "^  cd reflexe-kit-$V && sha256sum -c SHA256SUMS$"
check "assemble: prints SHA256SUMS's own hash" bash -c \
	"grep -q \"^SHA256SUMS itself: \$(sha256sum '$K/SHA256SUMS' | cut -d' ' -f1)\$\" '$T/asm.out'"
check "kit: every part there" bash -c "cd '$K' && for f in reflexe reflexe-x86_64 ${A64:+reflexe-aarch64} README.txt playbook-fr.md playbook-en.md \
	baseline-modele.ini courante-modele.csv reponses-modele.ini demo-case/manifest.sha256 demo-case/courante.jsonl \
	demo-case/findings/check-admins.json demo-case-baseline.ini demo-case-answers.ini SHA256SUMS; do test -f \$f || exit 1; done"
check "kit: templates and README are the tree's" bash -c "cmp -s '$K/README.txt' '$TOP/README.txt' && \
	cmp -s '$K/baseline-modele.ini' '$TOP/kit/baseline-modele.ini' && cmp -s '$K/courante-modele.csv' '$TOP/kit/courante-modele.csv' && \
	cmp -s '$K/playbook-fr.md' '$TOP/kit/playbook-fr.md' && cmp -s '$K/playbook-en.md' '$TOP/kit/playbook-en.md' && \
	cmp -s '$K/reponses-modele.ini' '$TOP/kit/reponses-modele.ini' && cmp -s '$K/demo-case-answers.ini' '$TOP/kit/demo-answers.ini'"
check "kit: reflexe-x86_64 is the binary given" cmp -s "$K/reflexe-x86_64" "$REFLEXE"
check "kit: reflexe is the launcher (kit/launcher.sh)" cmp -s "$K/reflexe" "$TOP/kit/launcher.sh"
check "kit: ./reflexe --version runs the x86_64 binary" bash -c "'$K/reflexe' --version | head -1 | grep -qx 'reflexe $V'"
check "kit: sh reflexe --version too" bash -c "sh '$K/reflexe' --version | head -1 | grep -qx 'reflexe $V'"
if [ -z "${REFLEXE_SANITIZED:-}" ]; then
	for b in reflexe-x86_64 ${A64:+reflexe-aarch64}; do
		check "kit: $b is static" bash -c "! readelf -lW '$K/$b' | grep -q INTERP"
		check "kit: $b is stripped" bash -c "! readelf -SW '$K/$b' | grep -q '\.symtab'"
	done
fi
if [ -n "$A64" ]; then
	check "kit: reflexe-aarch64 is the aarch64 binary given" cmp -s "$K/reflexe-aarch64" "$A64"
	check "assemble: a kit without its aarch64 binary is refused" bash -c \
		"! sh '$TOP/kit/assemble.sh' -o '$T/one' --bin '$REFLEXE' >'$o' 2>'$e' && grep -q 'no aarch64 binary: a kit holds both' '$e' && [ -z \"\$(ls -A '$T/one' 2>/dev/null)\" ]"
	check "assemble: two binaries for one architecture are refused" bash -c \
		"! sh '$TOP/kit/assemble.sh' -o '$T/two' --bin '$REFLEXE' --bin '$REFLEXE' >'$o' 2>'$e' && grep -q 'two binaries for x86_64' '$e'"
fi

# ---- the launcher -----------------------------------------------------------------
# A copy of the kit, a stand-in uname, and a stand-in aarch64 binary that
# says how it was called (this machine cannot run the real one).
L=$T/launch
cp -r "$K" "$L"
mkdir -p "$T/bin"
uname_says() { printf '#!/bin/sh\necho %s\n' "$1" >"$T/bin/uname"; chmod 755 "$T/bin/uname"; }
printf '#!/bin/sh\necho "aarch64 binary: $*"\n' >"$L/reflexe-aarch64"
chmod 755 "$L/reflexe-aarch64"
for m in aarch64 arm64; do
	uname_says $m
	PATH=$T/bin:$PATH "$L/reflexe" courante list --case "a b" >"$o" 2>"$e"; rc=$?
	check "launcher: uname -m $m: the aarch64 binary, arguments as given" bash -c \
		"[ $rc = 0 ] && [ \"\$(cat '$o')\" = 'aarch64 binary: courante list --case a b' ]"
done
for m in armv7l i686 riscv64; do
	uname_says $m
	PATH=$T/bin:$PATH "$L/reflexe" --version >"$o" 2>"$e"; rc=$?
	check "launcher: uname -m $m: exit 3, nothing run" bash -c "[ $rc = 3 ] && [ ! -s '$o' ]"
	check "launcher: uname -m $m: says so in French and English, naming the processor" bash -c \
		"grep -q '^reflexe : aucun binaire de ce kit ne convient à ce processeur (uname -m : $m)' '$e' &&
		 grep -q '^reflexe: no binary of this kit fits this processor (uname -m: $m); the kit holds: aarch64 x86_64\.' '$e'"
done
rm "$L/reflexe-aarch64"
uname_says aarch64
PATH=$T/bin:$PATH "$L/reflexe" --version >"$o" 2>"$e"; rc=$?
check "launcher: no aarch64 binary in the kit: exit 3, says what it holds" bash -c \
	"[ $rc = 3 ] && grep -q 'the kit holds: x86_64\.' '$e'"
# The binary not runnable in place (a stick mounted noexec, or vfat's
# showexec): a private copy in XDG_RUNTIME_DIR, checked, run, removed.
uname_says x86_64
chmod 644 "$L/reflexe-x86_64"
mkdir -p "$T/run"
PATH=$T/bin:$PATH XDG_RUNTIME_DIR=$T/run sh "$L/reflexe" courante init --case "$T/lcase" --who tests >"$o" 2>"$e"; rc=$?
check "launcher: binary not executable in place: runs from a private copy (exit $rc)" \
	bash -c "[ $rc = 0 ] && [ -f '$T/lcase/courante.jsonl' ]"
check "launcher: ... the copy removed afterwards" test -z "$(ls -A "$T/run")"
printf 'x' >>"$L/reflexe-x86_64"
PATH=$T/bin:$PATH XDG_RUNTIME_DIR=$T/run sh "$L/reflexe" --version >"$o" 2>"$e"; rc=$?
check "launcher: a copy that does not match SHA256SUMS is not run (exit 3, got $rc)" bash -c \
	"[ $rc = 3 ] && [ ! -s '$o' ] && grep -q 'reflexe-x86_64 does not match SHA256SUMS' '$e' && [ -z \"\$(ls -A '$T/run')\" ]"

# ---- SHA256SUMS ---------------------------------------------------------------------
check "SHA256SUMS: sha256sum -c --strict accepts it" bash -c "cd '$K' && sha256sum -c --strict --quiet SHA256SUMS"
check "SHA256SUMS: lists every file of the kit but itself" bash -c "cd '$K' && \
	diff <(find . -type f ! -path ./SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort) <(sed 's/^[0-9a-f]\{64\}  //' SHA256SUMS | LC_ALL=C sort)"
cp -r "$K" "$T/tampered"
python3 -c "
import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[len(b)//2]^=1; open(p,'wb').write(b)" "$T/tampered/playbook-fr.md"
(cd "$T/tampered" && sha256sum -c --quiet SHA256SUMS) >"$o" 2>&1; rc=$?
check "SHA256SUMS: one changed byte fails, and the file is named" bash -c \
	"[ $rc != 0 ] && grep -qx 'playbook-fr.md: FAILED' '$o' && [ \$(grep -c FAILED '$o') = 1 ]"
rm -rf "$T/tampered"

# ---- FAT / exFAT ------------------------------------------------------------------
check "FAT: nothing but plain files and folders (no symlinks)" test -z "$(find "$K" ! -type f ! -type d)"
check "FAT: ASCII-safe names" test -z "$(cd "$K" && find . -mindepth 1 | sed 's|^\./||' | tr / '\n' | LC_ALL=C grep -v '^[A-Za-z0-9._@+-]*$')"
check "FAT: no two names differing only by case" test -z "$(cd "$K" && find . | tr A-Z a-z | sort | uniq -d)"
check "FAT: the launcher and the binaries are the only executable files" \
	test "$(cd "$K" && find . -type f -perm /111 | LC_ALL=C sort | tr '\n' ' ')" = "./reflexe ${A64:+./reflexe-aarch64 }./reflexe-x86_64 "

# ---- the tarball --------------------------------------------------------------------
check "tar.gz: the kit folder, file for file" bash -c "diff <(tar -tzf '$T/kit/reflexe-kit-$V.tar.gz' | grep -v '/\$' | LC_ALL=C sort) \
	<(cd '$T/kit' && find reflexe-kit-$V -type f | LC_ALL=C sort)"
mkdir -p "$T/untar" && tar -xzf "$T/kit/reflexe-kit-$V.tar.gz" -C "$T/untar"
check "tar.gz: unpacked, SHA256SUMS verifies" bash -c "cd '$T/untar/reflexe-kit-$V' && sha256sum -c --strict --quiet SHA256SUMS"
check "tar.gz: no owner of the build machine" bash -c "tar -tvzf '$T/kit/reflexe-kit-$V.tar.gz' | awk '{print \$2}' | sort -u | grep -qx 0/0"

# ---- the demo case ----------------------------------------------------------------
D=$K/demo-case
check "demo: manifest.sha256 verifies" bash -c "cd '$D' && sha256sum -c --strict --quiet manifest.sha256"
(cd "$K" && $NONET "$K/reflexe" courante list --case demo-case) >"$o" 2>"$e"; rc=$?
check "demo: courante list works offline" test $rc = 0
check "demo: marked as a demo in its logbook" contains "$o" "DÉMO — cas fictif / DEMO — fictitious case"
check "demo: its logbook chain is intact" bash -c "cd '$K' && $NONET '$K/reflexe' courante verify --case demo-case >/dev/null 2>&1"
check "demo: the live run found something (ADM-006 critical, confirmed)" \
	chk "$D/findings/check-admins.json" has ADM-006 critical confirmed it.support@contoso.com
check "demo: live verdict suspected, a sound GA left" chk "$D/findings/check-admins.json" verdict suspected yes
check "demo: no host path recorded as the case" python3 -c "
import json,sys; sys.exit(0 if json.load(open('$D/findings/check-admins.json'))['case'] == 'demo-case' else 1)"
check "demo: the demo's client secret is not in the case" bash -c "! grep -rq 'demo-[0-9a-f]\{24\}' '$D'"
(cd "$K" && $NONET "$K/reflexe" check-admins --offline --case demo-case --format json) >"$T/off.json" 2>"$e"; rc=$?
check "demo: check-admins --offline exits 1 (findings)" test $rc = 1
check "demo: --offline gives the live run's findings" chk "$T/off.json" same "$D/findings/check-admins.json"
(cd "$K" && $NONET "$K/reflexe" check-admins --offline --case demo-case --lang fr) >"$o" 2>"$e"
check "demo: the text in French opens with the fiche's answer" contains "$o" "^Compromission de compte à privilèges Microsoft 365 / Entra ID : suspectée$"
(cd "$K" && $NONET "$K/reflexe" check-admins --offline --case demo-case --baseline demo-case-baseline.ini --format json) >"$T/bl.json" 2>"$e"
check "demo: with its baseline, ADM-003 answered (it.support unknown)" chk "$T/bl.json" has ADM-003 high suspect it.support@contoso.com
check "demo: with its baseline, nothing left unanswered" python3 -c "
import json,sys; sys.exit(1 if json.load(open('$T/bl.json'))['unknown'] else 0)"
mkdir -p "$T/try" && cp -r "$D" "$K/demo-case-answers.ini" "$T/try/"
(cd "$T/try" && $NONET timeout 120 "$K/reflexe" qualify --offline --case demo-case --answers demo-case-answers.ini --lang fr </dev/null) >"$o" 2>"$e"; rc=$?
check "demo: qualify runs start to end without a prompt (as the playbooks say)" bash -c "[ $rc = 1 ] && \
	grep -q '^Gravité retenue : incident majeur' '$o' && grep -q '^DÉMO — cas fictif$' '$o'"
check "demo: --offline wrote no evidence (manifest still verifies)" bash -c "cd '$D' && sha256sum -c --strict --quiet manifest.sha256"
(cd "$K" && sha256sum -c --quiet SHA256SUMS) >"$o" 2>&1
check "demo: as the playbooks say, after a try SHA256SUMS names only the demo's logbook" \
	bash -c "grep -qx 'demo-case/courante.jsonl: FAILED' '$o' && [ \$(grep -c FAILED '$o') = 1 ]"

# ---- the playbooks ------------------------------------------------------------------
for l in fr en; do
	check "playbook-$l.md: Mesure 1 to 4, actions 1.a to 1.e, gravity" bash -c "p='$TOP/kit/playbook-$l.md'; \
		for w in 'Mesure 1' 'Mesure 2' 'Mesure 3' 'Mesure 4' '1\.a' '1\.b' '1\.c' '1\.d' '1\.e' 'main courante' \
			'anomalie courante' 'incident mineur' 'incident majeur' 'crise cyber'; do grep -q \"\$w\" \"\$p\" || exit 1; done"
done
check "playbook-fr.md: the fiche's 'administrateur global'" grep -q "administrateur global" "$TOP/kit/playbook-fr.md"
# Every `reflexe …` code span: the applet exists and is built, the
# command with --help appended exits 0 (an unknown option is exit 2),
# a courante subcommand is one the help lists; FR and EN print the same
# commands (applet, subcommand, options); an applet not built yet is
# named in both as not covered, and a built one must appear as a command.
python3 - "$REFLEXE" "$TOP/kit/playbook-fr.md" "$TOP/kit/playbook-en.md" <<'PY' >"$T/playbook.res" 2>&1
import os, re, shlex, subprocess, sys
exe, pfr, pen = sys.argv[1:]
env = dict(os.environ, LANG="C")
env.pop("REFLEXE_CASE", None)
def run(args):
    r = subprocess.run([exe] + args, capture_output=True, text=True, env=env, cwd=os.environ.get("TMPDIR", "/tmp"))
    return r.returncode, r.stdout + r.stderr
rc, top_help = run(["--help"])
applets = re.findall(r"^  ([a-z-]+)  ", top_help, re.M)
built = {a for a in applets if run([a, "--help"])[0] == 0}
rc, chelp = run(["courante", "--help"])
subs = set(re.findall(r"^  ([a-z]+)\b", chelp, re.M)) - {"h"}
def out(ok, name, why=""):
    print(("ok " if ok else "bad ") + name + ((" — " + why) if why and not ok else ""))
skel = {}
for path in (pfr, pen):
    lang = os.path.basename(path)
    text = open(path, encoding="utf-8").read()
    spans = re.findall(r"`((?:\./)?reflexe(?:[ \n][^`]*)?)`", text)
    cmds = [s for s in spans if s.strip() not in ("reflexe", "./reflexe")]
    out(len(cmds) >= 20, "%s: at least 20 reflexe commands (%d)" % (lang, len(cmds)))
    skel[lang] = []
    for c in cmds:
        if "\n" in c:
            out(False, "%s: command on one line: %s" % (lang, c[:50])); continue
        toks = shlex.split(c)
        for i, t in enumerate(toks):
            if t in (">", "|", "&&", ";", "<"):
                toks = toks[:i]; break
        args = toks[1:]
        if args and not args[0].startswith("-"):
            a = args[0]
            if a not in applets:
                out(False, "%s: %s" % (lang, c), "no applet %s" % a); continue
            if a not in built:
                out(False, "%s: %s" % (lang, c), "applet %s is not built" % a); continue
            if a == "courante" and (len(args) < 2 or args[1] not in subs):
                out(False, "%s: %s" % (lang, c), "courante subcommand not in its help"); continue
        rc, o = run(args + ["--help"]) if args and not args[0].startswith("-") else run(args)
        out(rc == 0, "%s: %s" % (lang, c), "exit %d: %s" % (rc, o.strip().splitlines()[-1] if o.strip() else ""))
        k = [args[0]] if args else []
        if args and args[0] == "courante":
            k.append(args[1])
        skel[lang].append(" ".join(k + sorted(t for t in args if t.startswith("-"))))
a, b = sorted(skel.values())
out(sorted(a) == sorted(b), "FR and EN print the same commands",
    "only in one: %s" % sorted(set(a) ^ set(b)))
for a in applets:
    if a in built:
        for path in (pfr, pen):
            out(re.search(r"`(\./)?reflexe %s\b" % a, open(path, encoding="utf-8").read()) is not None,
                "%s: built applet %s has a command" % (os.path.basename(path), a))
    else:
        for path in (pfr, pen):
            out("`%s`" % a in open(path, encoding="utf-8").read(),
                "%s: %s, not built, is named as not covered yet" % (os.path.basename(path), a))
PY
rc=$?
[ $rc = 0 ] || { fail "playbook commands checked (python exit $rc)"; cat "$T/playbook.res"; }
while IFS= read -r l; do
	case $l in
	"ok "*) pass "playbook ${l#ok }" ;;
	"bad "*) fail "playbook ${l#bad }" ;;
	esac
done <"$T/playbook.res"

# ---- again, and without a binary --------------------------------------------------------
sh "$TOP/kit/assemble.sh" -o "$T/kit" "${BINS[@]}" $ANY >"$o" 2>"$e"; rc=$?
check "again: exit 0" test $rc = 0
check "again: the kit replaced whole, verifies (the demo's extra lines gone)" bash -c "cd '$K' && sha256sum -c --strict --quiet SHA256SUMS"
check "again: nothing left over beside it" test "$(ls -A "$T/kit" | LC_ALL=C sort | tr '\n' ' ')" = "reflexe-kit-$V reflexe-kit-$V.tar.gz "
sh "$TOP/kit/assemble.sh" -o "$T/none" --bin "$T/no-such-reflexe" >"$o" 2>"$e"; rc=$?
check "no binary: fails" test $rc != 0
check "no binary: says to build it" contains "$e" "no reflexe binary at .*build it first"
check "no binary: no kit made" test -z "$(ls -A "$T/none" 2>/dev/null)"
# The sanitizer build is dynamic: without --any-binary it is refused.
if [ -n "${REFLEXE_SANITIZED:-}" ]; then
	sh "$TOP/kit/assemble.sh" -o "$T/dyn" --bin "$REFLEXE" >"$o" 2>"$e"; rc=$?
	check "a dynamic binary: refused, named as such" bash -c "[ $rc != 0 ] && grep -q 'dynamically linked' '$e'"
	check "a dynamic binary: no kit made" test -z "$(ls -A "$T/dyn" 2>/dev/null)"
fi
