#!/bin/sh
# Makes a throw-away PKI with openssl for the net/ integration tests.
#   tests/pki.sh DIR
# DIR/ca.pem is the test root (give it to reflexe as REFLEXE_CA_FILE).
# Server credentials, each NAME.chain.pem (leaf then intermediate) and
# NAME.key; names valid for localhost, 127.0.0.1 and ::1 unless said:
#   rsa, ecdsa         good RSA-2048 and ECDSA P-256 leaves
#   expired            valid 2020-01-01 .. 2021-01-01
#   future             valid from 2099-01-01
#   wronghost          only for wrong.example
#   selfsigned         self-signed leaf, no CA at all
#   unknownroot        chained to another root, not ca.pem
#   rsa1024            RSA-1024 key, otherwise good
#   sha1               signed with SHA-1, otherwise good
#   nointermediate     the rsa leaf alone, intermediate left out
set -eu
d=${1:?usage: pki.sh DIR}
mkdir -p "$d"
cd "$d"
rm -rf db && mkdir -p db/new
: >db/index.txt
echo 1000 >db/serial
SAN="DNS:localhost,IP:127.0.0.1,IP:::1"
export SAN

cat >ca.cnf <<'EOF'
[ ca ]
default_ca = test_ca
[ test_ca ]
database = db/index.txt
new_certs_dir = db/new
serial = db/serial
default_md = sha256
default_days = 30
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = reflexe test
[ leaf ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = $ENV::SAN
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ inter ]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ root ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
EOF

q() { "$@" >/dev/null 2>&1 || { echo "pki.sh: failed: $*" >&2; "$@"; exit 1; }; }

root() {  # root NAME CN
	q openssl req -x509 -config ca.cnf -extensions root -newkey rsa:2048 -nodes \
		-keyout "$1.key" -out "$1.pem" -days 30 -subj "/CN=$2" -sha256
}
key() {  # key NAME rsa:BITS|ec
	case $2 in
	ec) q openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" ;;
	*) q openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${2#rsa:}" -out "$1.key" ;;
	esac
}
sign() {  # sign NAME CA_NAME EXT [openssl ca options...]
	n=$1 ca=$2 ext=$3; shift 3
	q openssl req -new -config ca.cnf -key "$n.key" -subj "/CN=reflexe test $n" -out "$n.csr"
	q openssl ca -batch -config ca.cnf -cert "$ca.pem" -keyfile "$ca.key" -extensions "$ext" \
		-in "$n.csr" -out "$n.pem" -notext "$@"
}
leaf() {  # leaf NAME KEYTYPE [openssl ca options...]
	n=$1 kt=$2; shift 2
	key "$n" "$kt"
	sign "$n" inter leaf "$@"
	cat "$n.pem" inter.pem >"$n.chain.pem"
}

root ca "reflexe test root"
key inter rsa:2048
sign inter ca inter
leaf rsa rsa:2048
leaf ecdsa ec
leaf expired rsa:2048 -startdate 20200101000000Z -enddate 20210101000000Z
leaf future rsa:2048 -startdate 20990101000000Z -enddate 21000101000000Z
SAN="DNS:wrong.example"
leaf wronghost rsa:2048
SAN="DNS:localhost,IP:127.0.0.1,IP:::1"
leaf rsa1024 rsa:1024
leaf sha1 rsa:2048 -md sha1
cp rsa.pem nointermediate.chain.pem
cp rsa.key nointermediate.key

# Self-signed leaf: a server certificate that is its own issuer.
key selfsigned rsa:2048
q openssl req -x509 -config ca.cnf -extensions leaf -key selfsigned.key -days 30 \
	-subj "/CN=reflexe test selfsigned" -out selfsigned.pem -sha256
cp selfsigned.pem selfsigned.chain.pem

# Another root, unknown to the client, with its own leaf.
root other "reflexe other root"
key unknownroot rsa:2048
sign unknownroot other leaf
cp unknownroot.pem unknownroot.chain.pem

rm -f ./*.csr
echo ok >done
