/*
 * libmindgap.a and a second Rust static library (tests/other_rust/lib.rs) in one
 * program: each carries the Rust standard library, and only the shipped
 * libmindgap.a (every symbol but mg_* made local, scripts/install-c.sh)
 * links beside the other without "multiple definition" errors.
 */
#include "mindgap.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

uint64_t other_sum_squares(uint64_t n);

int main(void) {
    int failed = 0;
    if (other_sum_squares(4) != 14) failed++;
    mg_diary *d = NULL;
    char *out = NULL;
    if (mg_diary_new_sample(20, NULL, 0, &d) != MG_OK) failed++;
    if (mg_diary_run(d, "validate", 8, NULL, 0, &out, NULL) != MG_OK || !strstr(out, "\"ok\": true"))
        failed++;
    mg_string_free(out);
    mg_diary_free(d);
    if (mg_version_number() != MINDGAP_VERSION_NUMBER) failed++;
    printf("%d passed, %d failed\n", 3 - (failed > 3 ? 3 : failed), failed);
    return failed != 0;
}
