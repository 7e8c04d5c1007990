/*
 * Timing harness: the batch and accumulator paths called from C, against the
 * same work done in Rust (benches/c/bench.rs). scripts/test-c.sh runs both
 * and prints the ratios. Output: "<name> <ns per value>" lines.
 *
 *   bench [values] [rounds]
 */
#define _POSIX_C_SOURCE 199309L
#include "mindgap.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define H 3600000LL

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char **argv) {
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
    int rounds = argc > 2 ? atoi(argv[2]) : 15;
    int64_t *values = malloc(n * sizeof *values);
    double *positions = malloc(n * sizeof *positions);
    uint64_t x = 88172645463325252ULL; /* xorshift64, as in bench.rs */
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        values[i] = (int64_t)(x % (uint64_t)(5 * H));
    }
    double best_batch = 1e300, best_positions = 1e300, best_many = 1e300, best_each = 1e300;
    uint64_t sink = 0;
    for (int r = 0; r < rounds; r++) {
        mg_batch_result res;
        double t0 = now_ns();
        if (mg_score_batch(MG_LOWER_IS_BETTER, H, 3 * H, values, n, NULL, &res) != MG_OK) return 1;
        double t1 = now_ns();
        sink += res.missed;
        if (mg_score_batch(MG_LOWER_IS_BETTER, H, 3 * H, values, n, positions, &res) != MG_OK) return 1;
        double t2 = now_ns();
        sink += res.within;

        mg_accumulator *a = NULL, *b = NULL;
        if (mg_accumulator_new(MG_LOWER_IS_BETTER, MG_UNIT_MILLISECONDS, H, 3 * H, &a) != MG_OK) return 1;
        if (mg_accumulator_new(MG_LOWER_IS_BETTER, MG_UNIT_MILLISECONDS, H, 3 * H, &b) != MG_OK) return 1;
        double t3 = now_ns();
        if (mg_accumulator_add_many(a, values, n) != MG_OK) return 1;
        double t4 = now_ns();
        for (size_t i = 0; i < n; i++)
            if (mg_accumulator_add(b, values[i], NULL) != MG_OK) return 1;
        double t5 = now_ns();
        mg_counts k;
        mg_accumulator_counts(b, &k);
        sink += k.exceeded;
        mg_accumulator_free(a);
        mg_accumulator_free(b);
        if (t1 - t0 < best_batch) best_batch = t1 - t0;
        if (t2 - t1 < best_positions) best_positions = t2 - t1;
        if (t4 - t3 < best_many) best_many = t4 - t3;
        if (t5 - t4 < best_each) best_each = t5 - t4;
    }
    printf("batch %.3f\n", best_batch / (double)n);
    printf("batch_positions %.3f\n", best_positions / (double)n);
    printf("accumulator_add_many %.3f\n", best_many / (double)n);
    printf("accumulator_add_each %.3f\n", best_each / (double)n);
    fprintf(stderr, "(sink %llu)\n", (unsigned long long)sink);
    free(values);
    free(positions);
    return 0;
}
