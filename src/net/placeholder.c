/* Placeholder until net/ lands: replaced by tls.c / roots.c. */
#include <mbedtls/version.h>
#include "net/net.h"
int tls_roots_fingerprint(char hex[65]) { hex[0] = 0; return 0; }
const char *tls_version_string(void) { return MBEDTLS_VERSION_STRING; }
