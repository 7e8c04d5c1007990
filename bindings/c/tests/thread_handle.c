/*
 * The 48 bytes valgrind calls "possibly lost" without bindings/c/valgrind.supp,
 * pinned down. Reading CSV runs a scoped second thread (std::thread::scope),
 * and Rust's standard library then gives the *calling* thread a handle
 * (std::thread::Thread, an Arc of 48 bytes) kept in a thread-local. Its
 * destructor is a pthread key's, and those run when a thread exits — never
 * for the main thread, which ends in exit(). So:
 *
 *   thread_handle main N      N reads on the main thread: one block of 48
 *                             bytes, "possibly lost" (the thread-local holds
 *                             a pointer into the Arc, past its counts), the
 *                             same one block for any N — not a leak;
 *   thread_handle threads N   N reads on each of 4 pthreads: nothing left.
 *
 * scripts/test-c.sh runs both under valgrind without the suppression file.
 */
#include "mindgap.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reads;

static void *work(void *arg) {
    int *failed = arg;
    const char *csv = "id,opened_at,first_response_at,resolved_at,channel,stage\n"
                      "c1,2026-10-05T10:00:00+03:00,,,chat,attraction\n";
    for (int i = 0; i < reads; i++) {
        mg_diary *d = NULL;
        if (mg_diary_new_sample(0, NULL, 0, &d) != MG_OK ||
            mg_diary_read_csv(d, "a.csv", 5, (const uint8_t *)csv, strlen(csv), NULL) != MG_OK)
            (*failed)++;
        mg_diary_free(d);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 3) return fprintf(stderr, "usage: %s main|threads N\n", argv[0]), 2;
    reads = atoi(argv[2]);
    int failed = 0;
    if (strcmp(argv[1], "main") == 0) {
        work(&failed);
    } else {
        pthread_t t[4];
        int f[4] = {0};
        for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, work, &f[i]);
        for (int i = 0; i < 4; i++) pthread_join(t[i], NULL), failed += f[i];
    }
    printf("%d failed\n", failed);
    return failed != 0;
}
