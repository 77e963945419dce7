/*
 * case/ — the case folder on the stick: case.ini, raw evidence files,
 * requests.jsonl, manifest.sha256. Prefix: case_.
 * (DESIGN.md puts "files" in core/; the case folder's own rules — one
 * tenant per folder, manifest last, request log — are more than files,
 * so they get their own folder below ms/ and collect/.)
 */
#ifndef REFLEXE_CASE_H
#define REFLEXE_CASE_H

#include "core/core.h"

#endif
