/*
 * reflexe's mbedTLS 3.6 configuration: a TLS 1.2 + 1.3 *client* and nothing
 * else. Every option here is one the client needs to talk to Microsoft's
 * endpoints (ECDHE, AES-GCM, RSA PKCS#1 v1.5 and PSS,
 * P-256/P-384/X25519) or to sign a client assertion (RSA, SHA-256, base64).
 * Server side, DTLS, renegotiation, debug strings, file-system and
 * time-of-day helpers we do ourselves are left out.
 */
#ifndef REFLEXE_MBEDTLS_CONFIG_H
#define REFLEXE_MBEDTLS_CONFIG_H

/* --- platform ---------------------------------------------------------- */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE
#define MBEDTLS_PLATFORM_C
/* mbedTLS only uses getrandom(2) under glibc (library/entropy_poll.c tests
 * __GLIBC__); under musl it would fall back to fopen("/dev/urandom"), which
 * a chroot or a hostile host can replace. We supply the source ourselves
 * (src/net/entropy.c: mbedtls_hardware_poll over the getrandom syscall). */
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_ENTROPY_HARDWARE_ALT
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_CTR_DRBG_C
#define MBEDTLS_DEPRECATED_REMOVED
/* net/ keeps one HTTP client per thread, but PSA (key slots, its random
 * generator) is process-wide: mbedTLS requires THREADING_C as soon as
 * more than one thread calls PSA (mbedtls_config.h, MBEDTLS_USE_PSA_CRYPTO
 * warning). */
#define MBEDTLS_THREADING_C
#define MBEDTLS_THREADING_PTHREAD

/* --- PSA (TLS 1.3 key schedule goes through PSA) ------------------------ */
#define MBEDTLS_PSA_CRYPTO_C
#define MBEDTLS_USE_PSA_CRYPTO
/* Each TLS 1.3 connection holds several PSA keys (ECDHE share, handshake
 * and traffic keys); with a fixed store of 32 slots, eight clients in eight
 * threads ran out (MBEDTLS_ERR_SSL_ALLOC_FAILED). Grow it as needed. */
#define MBEDTLS_PSA_KEY_STORE_DYNAMIC

/* --- hashes, MAC, KDF ---------------------------------------------------- */
#define MBEDTLS_MD_C
#define MBEDTLS_SHA1_C            /* only to *recognise* SHA-1 signatures: the
                                     verify profile refuses them */
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA256_SMALLER    /* the rolled loop: 3.7 KB less; ARMv8 crypto
                                     extensions still used when present */
#define MBEDTLS_SHA384_C
#define MBEDTLS_SHA512_C
/* ARMv8 SHA-2 instructions when the CPU has them (getauxval(AT_HWCAP) on
 * Linux), the C code otherwise; ignored on x86_64. */
#define MBEDTLS_SHA256_USE_ARMV8_A_CRYPTO_IF_PRESENT
#define MBEDTLS_SHA512_USE_A64_CRYPTO_IF_PRESENT
#define MBEDTLS_HKDF_C

/* --- ciphers -------------------------------------------------------------- */
#define MBEDTLS_AES_C
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_AES_FEWER_TABLES
#define MBEDTLS_AESNI_C           /* AES-NI and PCLMULQDQ when the CPU has them
                                     (checked at run time): constant time,
                                     unlike the table code it replaces */
#define MBEDTLS_AESCE_C           /* the same on ARMv8 (AES and PMULL of the
                                     crypto extensions, getauxval(AT_HWCAP)) */
#define MBEDTLS_GCM_C
/* No MBEDTLS_CIPHER_C: TLS (MBEDTLS_USE_PSA_CRYPTO) and PSA do without the
 * generic cipher layer, and without it GCM reaches AES through the thin
 * block_cipher dispatch (config_adjust_legacy_crypto.h enables
 * MBEDTLS_BLOCK_CIPHER_C) instead of mbedtls_cipher_update() for every
 * 16 bytes: a third faster (bench/fetch.sh), and smaller. */

/* PSA copies every input and output buffer (a calloc, a copy and a free
 * per TLS record) unless told that no other party shares that memory,
 * which holds here: one process, no shared memory (mbedtls_config.h). */
#define MBEDTLS_PSA_ASSUME_EXCLUSIVE_BUFFERS

/* --- public key ------------------------------------------------------------ */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_OID_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_BASE64_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PK_WRITE_C
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21          /* RSA-PSS: TLS 1.3 with RSA certificates */
#define MBEDTLS_ECP_C
/* Size over speed for the NIST curves (-16 KB with SHA-224 gone): they
 * only verify a few certificate and handshake signatures per run (the key
 * exchange prefers X25519), a few milliseconds each. */
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0
#define MBEDTLS_ECP_WINDOW_SIZE 2
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_ECP_DP_CURVE25519_ENABLED

/* --- X.509 ----------------------------------------------------------------- */
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_RSASSA_PSS_SUPPORT   /* also TLS 1.3's rsa_pss_rsae CertificateVerify */

/* --- TLS client ------------------------------------------------------------ */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_SSL_PROTO_TLS1_3
#define MBEDTLS_SSL_TLS1_3_COMPATIBILITY_MODE
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_KEEP_PEER_CERTIFICATE
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
/* No ENCRYPT_THEN_MAC (it only applies to CBC suites, none here) nor
 * MAX_FRAGMENT_LENGTH (never asked for): dead code in the binary. */
#define MBEDTLS_SSL_ALPN
/* Microsoft front ends send records of up to 16 KiB */
#define MBEDTLS_SSL_IN_CONTENT_LEN  16384
#define MBEDTLS_SSL_OUT_CONTENT_LEN 4096

#define MBEDTLS_SSL_CIPHERSUITES \
    MBEDTLS_TLS1_3_AES_128_GCM_SHA256, \
    MBEDTLS_TLS1_3_AES_256_GCM_SHA384, \
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, \
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, \
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, \
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256

#define MBEDTLS_ERROR_C            /* mbedtls_strerror, only for -v diagnostics */

#endif /* REFLEXE_MBEDTLS_CONFIG_H */
