# The layers of DESIGN.md, checked on the source: every #include "dir/…"
# between folders of src/ must go down the table below. A new folder, or
# an edge that climbs, fails here with the file and line that makes it.
# The one sanctioned exception is core/msgs.def, which gathers every
# folder's msg.def into one catalogue (core/core.h says why).
. "$(dirname "$0")/../lib.sh"

# folder: the folders it may include (besides itself)
allowed() {
	case "$1" in
	core) echo "" ;;
	net) echo "core" ;;
	baseline) echo "core" ;;
	courante) echo "core" ;;
	case) echo "core net" ;;
	ms) echo "core net case" ;;
	export) echo "core" ;;
	model) echo "core case export" ;;
	rules) echo "core model baseline" ;;
	collect) echo "core net case ms model export baseline" ;;
	render) echo "core rules" ;;
	report) echo "core case model rules render courante baseline" ;;
	applets) echo "core net case ms model export rules collect render report courante baseline" ;;
	*) echo "?" ;;
	esac
}

bad=0
for d in "$TOP"/src/*/; do
	f=$(basename "$d")
	ok=$(allowed "$f")
	if [ "$ok" = "?" ]; then
		echo "  layers: src/$f/ is not in tests/it/layers.sh's table: place it"
		bad=1
		continue
	fi
	while IFS=: read -r file line inc; do
		to=$(printf '%s' "$inc" | sed 's/.*#include "\([a-z_]*\)\/.*/\1/')
		[ "$to" = "$f" ] && continue
		[ "$file" = "$TOP/src/core/msgs.def" ] && continue
		case " $ok " in *" $to "*) ;; *)
			echo "  layers: ${file#"$TOP"/}:$line includes $to/ (src/$f/ may include: ${ok:-nothing})"
			bad=1 ;;
		esac
	done < <(grep -Hn '^#include "[a-z_]*/' "$d"*.c "$d"*.h "$d"*.def 2>/dev/null)
done
check "layers: no include climbs (DESIGN.md's layers)" [ "$bad" = 0 ]
# main.c sits on top: it may include anything, nothing includes it.
check "layers: nothing includes main.c" bash -c "! grep -rn '#include \"main' '$TOP/src'"
