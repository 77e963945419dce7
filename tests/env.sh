# The environment every test starts from (sourced by tests/run.sh and
# tests/lib.sh; tests/unit/t.h applies the same rule to a unit test run
# by hand). A responder's shell exports the very variables reflexe reads
# (AZURE_*, REFLEXE_*, proxies, locale): each test sets what it needs
# on top of this, so none can pass or fail because of the caller's
# shell. Cleared by pattern, not by list, so a new REFLEXE_ or AZURE_
# variable is cleared without anyone remembering to add it here.
#   AZURE_*, REFLEXE_* (but REFLEXE_SANITIZED, set by `make check`),
#   every *_proxy in any case (curl and Python read them all),
#   LC_*, LANGUAGE, NO_COLOR, TZ; then LANG=C (English) and TZ=UTC.
#   VENDOR_SRC too (CI exports it to build.sh; tests/it/build.sh sets it
#   where it wants it). SOURCE_DATE_EPOCH stays: the binary under test
#   was built with it, and "build.sh again builds nothing" needs the same.
for t_v in $(compgen -e); do
	case $t_v in
	REFLEXE_SANITIZED) ;;
	AZURE_* | REFLEXE_* | LC_* | LANGUAGE | NO_COLOR | VENDOR_SRC) unset "$t_v" ;;
	*) case ${t_v,,} in *_proxy) unset "$t_v" ;; esac ;;
	esac
done
unset t_v
export LANG=C TZ=UTC
