# The kit run from a FAT32 stick as it is. A FAT32 image is formatted
# (mkfs.vfat), the kit copied onto it with mtools (as another machine
# would write it), then mounted with fusefatfs (FUSE over ChaN's FatFs,
# built by make from its Debian source package: FUSEFATFS): this kernel
# has no vfat driver, and FUSE is what works here without more
# privilege (bookworm's own fusefat 0.1a cannot reopen for writing a
# small file it created, which every case does). From the
# volume: `sha256sum -c SHA256SUMS`, the launcher and the binary run in
# place (nothing chmod-ed, no symlink), a case opened, a live check-admins
# against the fake Microsoft servers and its logbook written there, all
# verified on the volume. Mounted again noexec (what vfat's showexec, a
# desktop's usual mount of a stick, does to the binaries), `sh reflexe`
# still runs, from a verified private copy. Unmounted, fsck.fat finds the
# volume clean and mtools, another FAT reader, reads the case back
# whole (manifest and logbook verify on this disk).
# Not covered: the kernel's own vfat and exfat drivers, and showexec
# itself (noexec stands in for it).
. "$(dirname "$0")/graph_env.sh"
o=$T/out e=$T/err
V=$("$REFLEXE" --version | sed -n '1s/^reflexe //p')
for t in mkfs.vfat fsck.fat mcopy fusermount; do
	command -v $t >/dev/null || { fail "$t is installed (dosfstools, mtools, fuse: ./build.sh installs them)"; exit 1; }
done
FFS=${FUSEFATFS:-$(command -v fusefatfs)}
[ -x "$FFS" ] || { fail "fusefatfs is built (make test builds build/tools/fusefatfs)"; exit 1; }
export MTOOLS_SKIP_CHECK=1

ANY=
BINS=(--bin "$REFLEXE")
if [ -n "${REFLEXE_SANITIZED:-}" ] || [ -z "${TESTBIN_aarch64:-}" ]; then
	ANY=--any-binary
else
	BINS+=(--bin "$TESTBIN_aarch64/reflexe")
fi
sh "$TOP/kit/assemble.sh" -o "$T/kit" "${BINS[@]}" $ANY >"$T/asm.out" 2>"$T/asm.err" ||
	{ fail "kit assembled"; cat "$T/asm.err"; exit 1; }

IMG=$T/stick.img
truncate -s 64M "$IMG"
check "image: formatted FAT32" bash -c "mkfs.vfat -F 32 -n REFLEXE '$IMG' >'$o' 2>&1"
check "image: the kit copied on with mtools" mcopy -s -i "$IMG" "$T/kit/reflexe-kit-$V" ::/

# mount_stick [OPTIONS]: fusefatfs in the foreground, a child of this
# script (unmounted and waited for, so that it has written everything).
MNT=$(mktemp -d)
FUSE_PID=
umount_stick() {
	[ -n "$FUSE_PID" ] || return 0
	for _ in $(seq 50); do fusermount -u "$MNT" 2>/dev/null && break; sleep 0.1; done
	wait "$FUSE_PID" 2>/dev/null
	FUSE_PID=
}
mount_stick() {
	umount_stick
	"$FFS" -f -o "rw+${1:+,$1}" "$IMG" "$MNT" >"$T/fusefat.log" 2>&1 &
	FUSE_PID=$!
	for _ in $(seq 100); do
		grep -q " $MNT fuse.fusefatfs " /proc/mounts && return 0
		kill -0 "$FUSE_PID" 2>/dev/null || break
		sleep 0.1
	done
	return 1
}
trap 'umount_stick; rmdir "$MNT" 2>/dev/null; t_cleanup' EXIT
if ! mount_stick; then
	fail "image: mounted with fusefatfs (needs /dev/fuse)"; cat "$T/fusefat.log"; exit 1
fi
pass "image: mounted with fusefatfs"
S=$MNT/reflexe-kit-$V
check "stick: a FAT volume (fuse.fusefatfs)" grep -q " $MNT fuse.fusefatfs " /proc/mounts
check "stick: sha256sum -c SHA256SUMS passes on the volume" bash -c "cd '$S' && sha256sum -c --strict --quiet SHA256SUMS"
check "stick: nothing but plain files and folders" test -z "$(find "$S" ! -type f ! -type d)"
(cd "$S" && ./reflexe --version) >"$o" 2>"$e"; rc=$?
check "stick: ./reflexe --version runs in place (exit $rc)" bash -c "[ $rc = 0 ] && head -1 '$o' | grep -qx 'reflexe $V'"
(cd "$S" && sh reflexe --version) >"$o" 2>"$e"; rc=$?
check "stick: sh reflexe --version too" bash -c "[ $rc = 0 ] && head -1 '$o' | grep -qx 'reflexe $V'"

# ---- a case on the stick ------------------------------------------------------------
fake rogue --tenant-file "$TOP/tests/fake/tenants/admins-rogue.json"
export AZURE_TENANT_ID=contoso.onmicrosoft.com AZURE_CLIENT_ID=$APP AZURE_CLIENT_SECRET=$SECRET
export REFLEXE_KEYRING=off REFLEXE_WHO=tests
(cd "$S" && ./reflexe courante init --case case1 && ./reflexe courante add "Début / start" --case case1) >"$o" 2>"$e"; rc=$?
check "case: logbook opened on the stick (exit $rc)" bash -c "[ $rc = 0 ] && [ -f '$S/case1/courante.jsonl' ]"
(cd "$S" && ./reflexe check-admins --case case1 --format json) >"$T/live.json" 2>"$e"; rc=$?
check "case: live check-admins, case folder on the stick: exit 1 (findings)" test $rc = 1
check "case: ADM-006 critical, confirmed" python3 "$TOP/tests/fixtures/admins/check.py" \
	"$T/live.json" has ADM-006 critical confirmed it.support@contoso.com
check "case: the findings saved on the stick" cmp -s "$T/live.json" "$S/case1/findings/check-admins.json"
check "case: manifest.sha256 verifies on the stick" bash -c "cd '$S/case1' && sha256sum -c --strict --quiet manifest.sha256"
check "case: the logbook verifies on the stick" bash -c "cd '$S' && ./reflexe courante verify --case case1 >/dev/null"
check "case: the logbook has the run" grep -q "check-admins" "$S/case1/courante.jsonl"
(cd "$S" && ./reflexe check-admins --offline --case case1 --format json) >"$T/off.json" 2>"$e"
check "case: --offline from the stick gives the live findings" python3 "$TOP/tests/fixtures/admins/check.py" \
	"$T/off.json" same "$T/live.json"
check "stick: SHA256SUMS still passes beside the case" bash -c "cd '$S' && sha256sum -c --strict --quiet SHA256SUMS"

# ---- noexec, as a desktop mounts a stick ---------------------------------------------------
mount_stick noexec || { fail "image: mounted again noexec"; cat "$T/fusefat.log"; exit 1; }
check "noexec: mounted so" bash -c "grep ' $MNT fuse.fusefatfs ' /proc/mounts | grep -q noexec"
(cd "$S" && ./reflexe-x86_64 --version) >"$o" 2>"$e"; rc=$?
check "noexec: the binary cannot run in place (exit 126, got $rc)" test $rc = 126
mkdir -p "$T/run"
(cd "$S" && XDG_RUNTIME_DIR=$T/run sh reflexe courante add "depuis une clé noexec / from a noexec stick" --case case1) >"$o" 2>"$e"; rc=$?
check "noexec: sh reflexe courante add works, from a private copy (exit $rc)" test $rc = 0
check "noexec: ... the copy removed afterwards" test -z "$(ls -A "$T/run")"
check "noexec: the logbook on the stick verifies" bash -c \
	"cd '$S' && XDG_RUNTIME_DIR='$T/run' sh reflexe courante verify --case case1 | grep -q 'chain intact'"

# ---- unmounted: the volume and what another reader sees -----------------------------------
umount_stick
check "unmounted: fsck.fat -n finds the volume clean" bash -c "fsck.fat -n '$IMG' >'$o' 2>&1"
mkdir -p "$T/back"
check "mtools reads the case back" mcopy -s -i "$IMG" "::/reflexe-kit-$V/case1" "$T/back/"
check "read back: manifest.sha256 verifies" bash -c "cd '$T/back/case1' && sha256sum -c --strict --quiet manifest.sha256"
check "read back: the logbook verifies, both lines from the noexec mount included" bash -c \
	"'$REFLEXE' courante verify --case '$T/back/case1' | grep -q 'chain intact' && grep -q 'noexec' '$T/back/case1/courante.jsonl'"
