/*
 * The C test suite of libmindgap: every function, its documented statuses,
 * misuse (NULL everywhere, invalid UTF-8, malformed JSON and CSV, huge
 * inputs, unknown analyses), the golden fixtures shared with the Rust and JS
 * suites. Run by scripts/test-c.sh plain, under ASan+UBSan and under
 * valgrind. Ends with "N passed, N failed" alone on a line.
 *
 *   test_mindgap <fixtures dir> <invalid cases file from fixtures_to_c.py>
 *
 * Double free is avoided by design, not tested (it is undefined behaviour):
 * every object has exactly one owner and one free function, no function
 * consumes a handle it is given (mg_accumulator_merge only reads src), and
 * this suite sets each pointer to NULL after freeing it.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, unlink, rmdir */
#include "mindgap.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int passed, failed;
static int small; /* MG_TEST_SMALL: smaller huge inputs (valgrind) */

#define CHECK(cond)                                                           \
    do {                                                                      \
        if (cond) {                                                           \
            passed++;                                                         \
        } else {                                                              \
            failed++;                                                         \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                   \
        }                                                                     \
    } while (0)

static char last_message[4096];

/* Copies the thread's last error message into last_message. */
static const char *last_error(void) {
    char *m = NULL;
    size_t len = 0;
    last_message[0] = 0;
    if (mg_last_error_message(&m, &len) == MG_OK) {
        snprintf(last_message, sizeof last_message, "%s", m);
        mg_string_free(m);
    }
    return last_message;
}

#define CHECK_STATUS(call, expected)                                          \
    do {                                                                      \
        mg_status s_ = (call);                                                \
        if (s_ == (expected)) {                                               \
            passed++;                                                         \
        } else {                                                              \
            failed++;                                                         \
            fprintf(stderr, "%s:%d: %s -> %s, expected %s (%s)\n", __FILE__,  \
                    __LINE__, #call, mg_status_name((int32_t)s_),             \
                    mg_status_name((int32_t)(expected)), last_error());       \
        }                                                                     \
    } while (0)

#define OK(call) CHECK_STATUS(call, MG_OK)
#define S(lit) (lit), (sizeof(lit) - 1) /* a string literal as (ptr, len) */
#define S_STR(lit) {(lit), sizeof(lit) - 1} /* a string literal as an mg_str */

static mg_str str(const char *s) {
    mg_str r = {s, s ? strlen(s) : 0};
    return r;
}

/* A recognisable pointer that must not be overwritten on failure. */
#define UNTOUCHED ((void *)0x5a5a)

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = 0;
        *len = (size_t)n;
    }
    return buf;
}

static const char *fixtures_dir;

static char *fixture(const char *rel, size_t *len) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", fixtures_dir, rel);
    return read_file(path, len);
}

/* Runs an analysis and returns its JSON (caller frees with mg_string_free). */
static char *run(const mg_diary *d, const char *what, const char *options) {
    char *out = NULL;
    size_t len = 0;
    mg_status s = mg_diary_run(d, what, strlen(what), options,
                               options ? strlen(options) : 0, &out, &len);
    if (s != MG_OK) {
        fprintf(stderr, "run %s: %s\n", what, last_error());
        return NULL;
    }
    return out;
}

/* ---- closing the loop: follow-ups, drill-down, people, problems ------------ */

static void test_closing_the_loop(void) {
    mg_diary *d = NULL;
    OK(mg_diary_new_sample(1200, NULL, 0, &d));
    char *out = run(d, "follow_ups", "{\"show\": \"overdue\"}");
    CHECK(out && strstr(out, "\"schema\": \"mindgap/follow-ups/1\"") &&
          strstr(out, "\"state\": \"overdue\"") && !strstr(out, "\"state\": \"closed\""));
    mg_string_free(out);
    out = run(d, "drill", "{\"expectation\": \"support-email-reply\", \"class\": \"missed\"}");
    CHECK(out && strstr(out, "\"schema\": \"mindgap/drill/1\"") &&
          strstr(out, "\"class\": \"missed\"") && !strstr(out, "\"class\": \"within\""));
    mg_string_free(out);
    out = run(d, "people", "{\"by\": \"team\"}");
    CHECK(out && strstr(out, "\"schema\": \"mindgap/people/1\"") && strstr(out, "\"rank\": 1"));
    mg_string_free(out);
    out = run(d, "problems", NULL);
    CHECK(out && strstr(out, "\"schema\": \"mindgap/problems/1\"") && strstr(out, "late_delivery"));
    mg_string_free(out);
    out = run(d, "report", "{\"trend\": true}");
    CHECK(out && strstr(out, "\"schema\": \"mindgap/trend/1\""));
    mg_string_free(out);
    char *bad = NULL;
    size_t len = 0;
    CHECK_STATUS(mg_diary_run(d, S("drill"), S("{\"employee\": \"nobody\"}"), &bad, &len),
                 MG_INVALID_OPTION);
    CHECK(strstr(last_error(), "nobody") != NULL);
    mg_diary_free(d);
}

/* ---- version, status names, last error --------------------------------- */

static void test_version_and_names(void) {
    char expected[64];
    snprintf(expected, sizeof expected, "%d.%d.%d", MINDGAP_VERSION_MAJOR,
             MINDGAP_VERSION_MINOR, MINDGAP_VERSION_PATCH);
    CHECK(strcmp(mg_version(), expected) == 0);
    CHECK(strcmp(mg_status_name(MG_OK), "MG_OK") == 0);
    CHECK(strcmp(mg_status_name(MG_NULL_ARGUMENT), "MG_NULL_ARGUMENT") == 0);
    CHECK(strcmp(mg_status_name(MG_MISMATCH), "MG_MISMATCH") == 0);
    CHECK(strcmp(mg_status_name(7), "MG_UNKNOWN_STATUS") == 0);
    CHECK(strcmp(mg_status_name(-1), "MG_UNKNOWN_STATUS") == 0);
    /* Codes mirror the core's Error::code(). */
    CHECK(MG_IO == 10 && MG_INVALID_VALUE == 15 && MG_INVALID_OPTION == 23 &&
          MG_MISMATCH == 25);
    CHECK(MG_NO_TIME == INT64_MIN);
    /* The numeric version: the header's and the library's agree. */
    CHECK(MINDGAP_VERSION_NUMBER == MINDGAP_VERSION_MAJOR * 10000 +
                                        MINDGAP_VERSION_MINOR * 100 + MINDGAP_VERSION_PATCH);
    CHECK(mg_version_number() == MINDGAP_VERSION_NUMBER);
}

/* ---- versioned structs: the version is checked before the struct is read -- */

static void test_struct_versions(void) {
    mg_interaction i = MG_INTERACTION_INIT;
    CHECK(i.version == MG_INTERACTION_VERSION && i.first_response_at_ms == MG_NO_TIME &&
          i.resolved_at_ms == MG_NO_TIME && i.id.ptr == NULL && i.utc_offset_minutes == 0);
    mg_interaction j;
    memset(&j, 0x5a, sizeof j);
    OK(mg_interaction_init(&j, MG_INTERACTION_VERSION));
    CHECK(j.version == i.version && j.id.ptr == NULL && j.id.len == 0 && j.priority.len == 0 &&
          j.opened_at_ms == MG_NO_TIME && j.first_response_at_ms == MG_NO_TIME &&
          j.resolved_at_ms == MG_NO_TIME && j.utc_offset_minutes == 0);
    mg_feedback f = MG_FEEDBACK_INIT, g;
    OK(mg_feedback_init(&g, MG_FEEDBACK_VERSION));
    CHECK(g.version == f.version && g.at_ms == MG_NO_TIME && g.flags == 0 && g.kind.ptr == NULL);
    mg_files files = MG_FILES_INIT, h;
    OK(mg_files_init(&h, MG_FILES_VERSION));
    CHECK(h.version == files.version && h.interactions == NULL && h.interactions_len == 0);
    /* Unknown versions: refused, the struct untouched. */
    memset(&j, 0x5a, sizeof j);
    CHECK_STATUS(mg_interaction_init(&j, MG_INTERACTION_VERSION + 1), MG_INVALID_ARGUMENT);
    CHECK(j.version == 0x5a5a5a5a);
    CHECK_STATUS(mg_feedback_init(&g, 0), MG_INVALID_ARGUMENT);
    CHECK_STATUS(mg_files_init(NULL, MG_FILES_VERSION), MG_NULL_ARGUMENT);

    mg_diary *d = NULL;
    OK(mg_diary_new_sample(0, NULL, 0, &d));
    /* A struct from before versions (memset to 0) or not initialised. */
    mg_interaction zero;
    memset(&zero, 0, sizeof zero);
    zero.id = str("v0");
    CHECK_STATUS(mg_diary_add_interaction(d, &zero), MG_INVALID_ARGUMENT);
    CHECK(strstr(last_error(), "interaction.version is 0") &&
          strstr(last_error(), "MG_INTERACTION_INIT"));
    /* A struct from a newer header: its version is read alone, the rest not. */
    struct {
        uint32_t version;
    } newer = {MG_INTERACTION_VERSION + 1};
    CHECK_STATUS(mg_diary_add_interaction(d, (const mg_interaction *)(const void *)&newer),
                 MG_INVALID_ARGUMENT);
    CHECK(strstr(last_error(), "newer than this library") != NULL);
    struct {
        uint32_t version;
    } newer_fb = {MG_FEEDBACK_VERSION + 7};
    CHECK_STATUS(mg_diary_add_feedback(d, (const mg_feedback *)(const void *)&newer_fb),
                 MG_INVALID_ARGUMENT);
    struct {
        uint32_t version;
    } newer_files = {MG_FILES_VERSION + 1};
    char *out = UNTOUCHED;
    CHECK_STATUS(mg_report_files((const mg_files *)(const void *)&newer_files, S("report"), NULL,
                                 0, NULL, 0, &out, NULL, NULL),
                 MG_INVALID_ARGUMENT);
    CHECK(out == UNTOUCHED && strstr(last_error(), "files.version") != NULL);
    /* The macro's struct works as is once its required fields are set. */
    i.id = str("v1");
    i.stage = str("attraction");
    i.channel = str("chat");
    i.opened_at_ms = 1767596400000;
    OK(mg_diary_add_interaction(d, &i));
    mg_diary_free(d);
}

/* ---- bytes out: freed by the pointer alone ------------------------------- */

static void test_bytes_free_needs_the_pointer_alone(void) {
    mg_accumulator *a = NULL;
    OK(mg_accumulator_new(MG_LOWER_IS_BETTER, MG_UNIT_MILLISECONDS, 1000, 3000, &a));
    int64_t v[] = {500, 2000, 4000};
    OK(mg_accumulator_add_many(a, v, 3));
    uint8_t *bytes = NULL;
    size_t len = 0;
    OK(mg_accumulator_serialize(a, &bytes, &len));
    CHECK(bytes && len > 20 && memcmp(bytes, "{\"format\"", 9) == 0);
    mg_accumulator *b = NULL;
    OK(mg_accumulator_deserialize(bytes, len, &b));
    mg_bytes_free(bytes);
    /* A string is not bytes: left alone (no crash, no free), and said so. */
    char *s = NULL;
    OK(mg_accumulator_figures(b, 0.95, &s, NULL));
    char before[256];
    snprintf(before, sizeof before, "%s", s);
    mg_bytes_free((uint8_t *)s + 16);
    CHECK(strstr(last_error(), "not bytes returned by this library") != NULL);
    CHECK(strncmp(before, s, strlen(before)) == 0 && strlen(before) > 16);
    mg_string_free(s);
    mg_accumulator_free(a);
    mg_accumulator_free(b);
}

static void test_last_error_before_any_failure(void) {
    char *m = UNTOUCHED;
    size_t len = 99;
    OK(mg_last_error_message(&m, &len));
    CHECK(m != UNTOUCHED && m != NULL && len == 0 && m[0] == 0);
    mg_string_free(m);
    OK(mg_last_error_json(&m, NULL));
    CHECK(strcmp(m, "null") == 0);
    mg_string_free(m);
    CHECK_STATUS(mg_last_error_message(NULL, NULL), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_last_error_json(NULL, &len), MG_NULL_ARGUMENT);
    CHECK(strstr(last_error(), "out-parameter out is NULL") != NULL);
}

static void test_frees_accept_null(void) {
    mg_string_free(NULL);
    mg_bytes_free(NULL);
    mg_diary_free(NULL);
    mg_accumulator_free(NULL);
    CHECK(1);
}

/* ---- the sample diary and the golden report ----------------------------- */

static void test_sample_report_is_golden(void) {
    mg_diary *d = NULL;
    OK(mg_diary_new_sample(300, NULL, 0, &d));
    size_t glen = 0;
    char *golden = fixture("golden/sample-300-report.json", &glen);
    CHECK(golden != NULL);
    char *out = NULL;
    size_t len = 0;
    OK(mg_diary_run(d, S("report"), NULL, 0, &out, &len));
    CHECK(out != NULL && strlen(out) == len);
    /* The file is what the CLI prints: the JSON and a newline. */
    CHECK(golden && out && glen == len + 1 && memcmp(golden, out, len) == 0 &&
          golden[len] == '\n');
    mg_string_free(out);
    /* Empty options, "null" and "{}" are the defaults too. */
    OK(mg_diary_run(d, S("report"), S("null"), &out, NULL));
    CHECK(golden && strncmp(out, golden, len) == 0);
    mg_string_free(out);
    out = run(d, "validate", "{}");
    CHECK(out && strstr(out, "\"ok\": true") && strstr(out, "\"interactions\": 300"));
    mg_string_free(out);
    out = run(d, "diary", NULL);
    CHECK(out && strstr(out, "\"schema\": \"mindgap/1\""));
    mg_string_free(out);
    free(golden);
    mg_diary_free(d);
}

static void test_run_misuse(void) {
    mg_diary *d = NULL;
    OK(mg_diary_new_sample(10, NULL, 0, &d));
    char *out = UNTOUCHED;
    size_t len = 7;
    CHECK_STATUS(mg_diary_run(d, S("reprot"), NULL, 0, &out, &len), MG_INVALID_OPTION);
    CHECK(strstr(last_error(), "unknown analysis \"reprot\"") != NULL);
    CHECK(strstr(last_message, "the analyses are: validate, report") != NULL);
    CHECK(out == UNTOUCHED && len == 7); /* outputs only on success */
    CHECK_STATUS(mg_diary_run(d, "", 0, NULL, 0, &out, &len), MG_INVALID_OPTION);
    CHECK_STATUS(mg_diary_run(NULL, S("report"), NULL, 0, &out, &len), MG_NULL_ARGUMENT);
    CHECK(strcmp(last_error(), "diary is NULL") == 0);
    CHECK_STATUS(mg_diary_run(d, NULL, 6, NULL, 0, &out, &len), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_diary_run(d, S("report"), NULL, 0, NULL, &len), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_diary_run(d, S("report"), NULL, 5, &out, &len), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_diary_run(d, S("rep\xffort"), NULL, 0, &out, &len),
                 MG_INVALID_UTF8_ARGUMENT);
    CHECK(strstr(last_error(), "offset 3") != NULL);
    CHECK_STATUS(mg_diary_run(d, S("report"), S("{\"lang\": \"en\"\xc3"), &out, &len),
                 MG_INVALID_UTF8_ARGUMENT);
    CHECK_STATUS(mg_diary_run(d, "report", SIZE_MAX, NULL, 0, &out, &len),
                 MG_LENGTH_OVERFLOW);
    CHECK_STATUS(mg_diary_run(d, S("report"), S("{\"confidnce\": 0.9}"), &out, &len),
                 MG_INVALID_OPTION);
    CHECK(strstr(last_error(), "report.confidnce") != NULL);
    CHECK_STATUS(mg_diary_run(d, S("report"), S("{\"lang\": "), &out, &len),
                 MG_INVALID_OPTION);
    CHECK_STATUS(mg_diary_run(d, S("report"), S("[1, 2]"), &out, &len), MG_INVALID_OPTION);
    CHECK_STATUS(mg_diary_run(d, S("validate"), S("{\"x\": 1}"), &out, &len),
                 MG_INVALID_OPTION);
    CHECK(out == UNTOUCHED && len == 7);
    /* Options that work. */
    OK(mg_diary_run(d, S("report"), S("{\"by\": [\"channel\"], \"lang\": \"ru\"}"), &out, &len));
    CHECK(out != UNTOUCHED && len > 0);
    mg_string_free(out);
    mg_diary_free(d);
}

static void test_new_misuse(void) {
    mg_diary *d = UNTOUCHED;
    CHECK_STATUS(mg_diary_new_sample(10, NULL, 0, NULL), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_diary_new_sample(MG_SAMPLE_MAX_ROWS + 1, NULL, 0, &d), MG_INVALID_ARGUMENT);
    CHECK_STATUS(mg_diary_new_sample(SIZE_MAX, NULL, 0, &d), MG_INVALID_ARGUMENT);
    CHECK_STATUS(mg_diary_new_sample(1, S("{\"mode\": \"sloppy\"}"), &d), MG_INVALID_OPTION);
    CHECK_STATUS(mg_diary_new_sample(1, S("{\"mood\": \"strict\"}"), &d), MG_INVALID_OPTION);
    CHECK(strstr(last_error(), "read.mood") != NULL);
    CHECK(d == UNTOUCHED);
    OK(mg_diary_new_sample(0, S("{\"mode\": \"lenient\"}"), &d));
    char *v = run(d, "validate", NULL);
    CHECK(v && strstr(v, "\"interactions\": 0"));
    mg_string_free(v);
    mg_diary_free(d);

    size_t len = 0;
    char *json = fixture("diary-small.json", &len);
    CHECK(json != NULL);
    d = UNTOUCHED;
    CHECK_STATUS(mg_diary_new_json(NULL, 3, (const uint8_t *)json, len, NULL, 0, &d),
                 MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_diary_new_json(S("d.json"), NULL, 0, NULL, 0, &d), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_diary_new_json(S("d.json"), (const uint8_t *)json, len, NULL, 0, NULL),
                 MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_diary_new_json(S("d\xff.json"), (const uint8_t *)json, len, NULL, 0, &d),
                 MG_INVALID_UTF8_ARGUMENT);
    CHECK_STATUS(mg_diary_new_json(S("d.json"), (const uint8_t *)"", 0, NULL, 0, &d), MG_SYNTAX);
    CHECK_STATUS(mg_diary_new_json(S("d.json"), (const uint8_t *)"{\"schema\": ", 11, NULL, 0, &d),
                 MG_SYNTAX);
    CHECK(strncmp(last_error(), "d.json line 1", 13) == 0);
    CHECK_STATUS(mg_diary_new_json(S("d.json"), (const uint8_t *)"\xff\xfe", 2, NULL, 0, &d),
                 MG_INVALID_UTF8);
    CHECK_STATUS(mg_diary_new_json(S("d.json"), (const uint8_t *)"[]", 2, NULL, 0, &d),
                 MG_MISMATCH);
    CHECK(d == UNTOUCHED);
    OK(mg_diary_new_json(S("d.json"), (const uint8_t *)json, len, S("{\"mode\": \"strict\"}"), &d));
    CHECK(d != UNTOUCHED && d != NULL);
    mg_diary_free(d);
    free(json);
}

/* ---- reading CSV and JSON Lines ----------------------------------------- */

#define INTERACTION_HEADER "id,opened_at,first_response_at,resolved_at,channel,stage\n"

static void test_read(void) {
    mg_diary *d = NULL;
    OK(mg_diary_new_sample(0, NULL, 0, &d));
    const char *csv = INTERACTION_HEADER
        "i1,2026-01-05T10:00:00+03:00,2026-01-05T11:00:00+03:00,,email,attraction\n"
        "i2,2026-01-05T10:00:00+03:00,,,chat,service\n";
    mg_csv_kind kind = (mg_csv_kind)0;
    OK(mg_diary_read_csv(d, S("i.csv"), (const uint8_t *)csv, strlen(csv), &kind));
    CHECK(kind == MG_CSV_INTERACTIONS);
    OK(mg_diary_read_csv(d, S("empty-ok.csv"), (const uint8_t *)INTERACTION_HEADER,
                         strlen(INTERACTION_HEADER), NULL));
    const char *fb = "id,at,interaction,stage,touchpoint,customer,kind,score\n"
                     "f1,2026-01-05T12:00:00+03:00,i1,,,,csat,5\n";
    kind = (mg_csv_kind)0;
    OK(mg_diary_read_csv(d, S("f.csv"), (const uint8_t *)fb, strlen(fb), &kind));
    CHECK(kind == MG_CSV_FEEDBACK);

    /* Misuse and bad input. */
    CHECK_STATUS(mg_diary_read_csv(NULL, S("x.csv"), (const uint8_t *)csv, 3, NULL), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_diary_read_csv(d, NULL, 0, (const uint8_t *)csv, 3, NULL), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_diary_read_csv(d, S("x.csv"), NULL, 0, NULL), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_diary_read_csv(d, S("x.csv"), (const uint8_t *)"a,b\n1,2\n", 8, NULL),
                 MG_MISSING_COLUMNS);
    CHECK(strncmp(last_error(), "x.csv", 5) == 0);
    const char *quote = INTERACTION_HEADER "i9,\"2026-01-05T10:00:00+03:00,,,email,attraction\n";
    mg_status s = mg_diary_read_csv(d, S("q.csv"), (const uint8_t *)quote, strlen(quote), NULL);
    CHECK(s >= MG_IO && s <= MG_MISMATCH);
    const char *latin = INTERACTION_HEADER "i9,2026-01-05T10:00:00+03:00,,,e\xe9mail,attraction\n";
    CHECK_STATUS(mg_diary_read_csv(d, S("l.csv"), (const uint8_t *)latin, strlen(latin), NULL),
                 MG_INVALID_UTF8);
    CHECK(strcmp(last_error(), "l.csv line 2, record \"i9\", field \"channel\": invalid UTF-8") == 0);
    const char *dup = INTERACTION_HEADER "i1,2026-01-05T10:00:00+03:00,,,email,attraction\n";
    CHECK_STATUS(mg_diary_read_csv(d, S("d.csv"), (const uint8_t *)dup, strlen(dup), NULL),
                 MG_DUPLICATE);

    /* JSON Lines. */
    const char *jsonl =
        "{\"type\": \"interaction\", \"id\": \"j1\", \"opened_at\": \"2026-01-06T10:00:00+03:00\", "
        "\"channel\": \"phone\", \"stage\": \"purchase\"}\n";
    OK(mg_diary_read_jsonl(d, S("r.jsonl"), (const uint8_t *)jsonl, strlen(jsonl)));
    CHECK_STATUS(mg_diary_read_jsonl(d, S("r.jsonl"), (const uint8_t *)"{\"type\": \"gossip\"}\n", 19),
                 MG_MISMATCH);
    CHECK_STATUS(mg_diary_read_jsonl(d, S("r.jsonl"), (const uint8_t *)"{not json\n", 10), MG_SYNTAX);
    CHECK(strncmp(last_error(), "r.jsonl line 1", 14) == 0);
    CHECK_STATUS(mg_diary_read_jsonl(d, S("r.jsonl"), NULL, 0), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_diary_read_jsonl(NULL, S("r.jsonl"), (const uint8_t *)jsonl, 3), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_diary_read_jsonl(d, S("r\xc0.jsonl"), (const uint8_t *)jsonl, 3),
                 MG_INVALID_UTF8_ARGUMENT);

    char *v = run(d, "validate", NULL);
    CHECK(v && strstr(v, "\"interactions\": 3") && strstr(v, "\"feedback\": 1"));
    CHECK(v && strstr(v, "\"kind\": \"records\""));
    mg_string_free(v);
    mg_diary_free(d);
}

/* A strict read is all or nothing: a file that fails adds none of its rows
 * (those before the bad one included), so the corrected file reads after it
 * without duplicates. The same guarantee as the JS and Python faces (one
 * core path). */
static void test_failed_read_adds_nothing(void) {
    mg_diary *d = NULL;
    OK(mg_diary_new_sample(0, NULL, 0, &d));
    const char *good = INTERACTION_HEADER "k1,2026-01-05T10:00:00+03:00,,,email,attraction\n";
    OK(mg_diary_read_csv(d, S("good.csv"), (const uint8_t *)good, strlen(good), NULL));
    char *before = run(d, "diary", NULL);
    const char *bad = INTERACTION_HEADER
        "k2,2026-01-05T10:00:00+03:00,,,email,attraction\n"
        "k3,2026-01-05T11:00:00+03:00,,,chat,service\n"
        "k4,yesterday,,,chat,service\n";
    CHECK_STATUS(mg_diary_read_csv(d, S("more.csv"), (const uint8_t *)bad, strlen(bad), NULL),
                 MG_INVALID_VALUE);
    CHECK(strncmp(last_error(), "more.csv line 4, record \"k4\"", 28) == 0);
    char *after = run(d, "diary", NULL);
    CHECK(before && after && strcmp(before, after) == 0);
    mg_string_free(after);
    const char *jsonl =
        "{\"type\": \"interaction\", \"id\": \"k5\", \"opened_at\": \"2026-01-06T10:00:00+03:00\", "
        "\"channel\": \"phone\", \"stage\": \"purchase\"}\n{\"type\": \"gossip\"}\n";
    CHECK_STATUS(mg_diary_read_jsonl(d, S("r.jsonl"), (const uint8_t *)jsonl, strlen(jsonl)),
                 MG_MISMATCH);
    after = run(d, "diary", NULL);
    CHECK(before && after && strcmp(before, after) == 0);
    mg_string_free(after);
    /* The corrected files read: k2, k3 and k5 were not kept. */
    const char *fixed = INTERACTION_HEADER
        "k2,2026-01-05T10:00:00+03:00,,,email,attraction\n"
        "k3,2026-01-05T11:00:00+03:00,,,chat,service\n"
        "k4,2026-01-05T12:00:00+03:00,,,chat,service\n";
    OK(mg_diary_read_csv(d, S("more.csv"), (const uint8_t *)fixed, strlen(fixed), NULL));
    OK(mg_diary_read_jsonl(d, S("r.jsonl"), (const uint8_t *)jsonl, strlen(jsonl) - 19));
    char *v = run(d, "validate", NULL);
    CHECK(v && strstr(v, "\"interactions\": 5"));
    mg_string_free(v);
    mg_string_free(before);
    mg_diary_free(d);
}

static void test_huge_inputs(void) {
    mg_diary *d = NULL;
    OK(mg_diary_new_sample(0, NULL, 0, &d));
    /* 50 000 interactions as CSV. */
    int rows = small ? 5000 : 50000;
    size_t cap = (size_t)rows * 96 + 128, len = 0;
    char *csv = malloc(cap);
    len += (size_t)snprintf(csv, cap, INTERACTION_HEADER);
    for (int i = 0; i < rows; i++)
        len += (size_t)snprintf(csv + len, cap - len,
                                "h%d,2026-02-%02dT10:00:00+03:00,2026-02-%02dT10:%02d:00+03:00,,chat,service\n",
                                i, 1 + i % 28, 1 + i % 28, i % 60);
    OK(mg_diary_read_csv(d, S("huge.csv"), (const uint8_t *)csv, len, NULL));
    char *v = run(d, "validate", NULL);
    char want[64];
    snprintf(want, sizeof want, "\"interactions\": %d", rows);
    CHECK(v && strstr(v, want));
    mg_string_free(v);
    char *r = run(d, "report", NULL);
    CHECK(r != NULL);
    mg_string_free(r);
    free(csv);
    /* 8 MiB of noise: an error, not a crash. */
    size_t n = small ? (1u << 20) : (8u << 20);
    uint8_t *noise = malloc(n);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        noise[i] = (uint8_t)x;
    }
    mg_status s = mg_diary_read_csv(d, S("noise.csv"), noise, n, NULL);
    CHECK(s != MG_OK && s != MG_PANIC);
    s = mg_diary_read_jsonl(d, S("noise.jsonl"), noise, n);
    CHECK(s != MG_OK && s != MG_PANIC);
    mg_diary *d2 = UNTOUCHED;
    s = mg_diary_new_json(S("noise.json"), noise, n, NULL, 0, &d2);
    CHECK(s != MG_OK && s != MG_PANIC && d2 == UNTOUCHED);
    /* Deeply nested JSON. */
    size_t depth = 100000;
    char *deep = malloc(depth);
    memset(deep, '[', depth);
    s = mg_diary_new_json(S("deep.json"), (const uint8_t *)deep, depth, NULL, 0, &d2);
    CHECK(s == MG_SYNTAX || s == MG_MISMATCH);
    s = mg_diary_add_json(d, deep, depth);
    CHECK(s == MG_SYNTAX || s == MG_MISMATCH);
    free(deep);
    free(noise);
    mg_diary_free(d);
}

/* ---- records one at a time ---------------------------------------------- */

static const int64_t JAN5_10H = 1767596400000; /* 2026-01-05T07:00:00Z = 10:00 +03:00 */

static mg_interaction interaction(const char *id, const char *stage) {
    mg_interaction i = MG_INTERACTION_INIT;
    i.id = str(id);
    i.stage = str(stage);
    i.channel = str("email");
    i.customer = str("c1");
    i.opened_at_ms = JAN5_10H;
    i.first_response_at_ms = JAN5_10H + 2 * 3600 * 1000;
    i.resolved_at_ms = MG_NO_TIME;
    i.utc_offset_minutes = 180;
    return i;
}

static mg_feedback feedback(const char *id, const char *kind, double score) {
    mg_feedback f = MG_FEEDBACK_INIT;
    f.id = str(id);
    f.kind = str(kind);
    f.score = score;
    f.flags = MG_FEEDBACK_HAS_SCORE;
    f.at_ms = JAN5_10H + 5 * 3600 * 1000;
    f.utc_offset_minutes = 180;
    return f;
}

static void test_add_structs_equal_json(void) {
    mg_diary *a = NULL, *b = NULL;
    OK(mg_diary_new_sample(0, NULL, 0, &a));
    OK(mg_diary_new_sample(0, NULL, 0, &b));
    mg_interaction i = interaction("s1", "attraction");
    i.touchpoint = str("website");
    i.employee = str("e1");
    i.team = str("support");
    i.status = str("In Progress");
    i.category = str("delivery");
    i.resolved_at_ms = JAN5_10H + 26 * 3600 * 1000;
    OK(mg_diary_add_interaction(a, &i));
    mg_feedback f = feedback("g1", "NPS", 9);
    f.interaction = str("s1");
    f.comment = str("quick, thanks");
    f.sentiment = str("Positive");
    OK(mg_diary_add_feedback(a, &f));
    mg_feedback dismissed = feedback("g2", "csat", 0);
    dismissed.flags = MG_FEEDBACK_DISMISSED;
    dismissed.stage = str("attraction");
    OK(mg_diary_add_feedback(a, &dismissed));
    OK(mg_diary_add_json(b, S("{\"type\": \"interaction\", \"id\": \"s1\", "
        "\"opened_at\": \"2026-01-05T10:00:00+03:00\", \"first_response_at\": \"2026-01-05T12:00:00+03:00\", "
        "\"resolved_at\": \"2026-01-06T12:00:00+03:00\", \"channel\": \"email\", \"stage\": \"attraction\", "
        "\"touchpoint\": \"website\", \"customer\": \"c1\", \"employee\": \"e1\", \"team\": \"support\", "
        "\"status\": \"open\", \"category\": \"delivery\"}")));
    OK(mg_diary_add_json(b, S("{\"type\": \"feedback\", \"id\": \"g1\", \"at\": \"2026-01-05T15:00:00+03:00\", "
        "\"kind\": \"nps\", \"score\": 9, \"interaction\": \"s1\", \"comment\": \"quick, thanks\", "
        "\"sentiment\": \"positive\"}")));
    OK(mg_diary_add_json(b, S("{\"type\": \"feedback\", \"id\": \"g2\", \"at\": \"2026-01-05T15:00:00+03:00\", "
        "\"kind\": \"csat\", \"dismissed\": true, \"stage\": \"attraction\"}")));
    char *ja = run(a, "diary", NULL), *jb = run(b, "diary", NULL);
    CHECK(ja && jb && strcmp(ja, jb) == 0);
    CHECK(ja && strstr(ja, "\"opened_at\": \"2026-01-05T10:00:00+03:00\""));
    mg_string_free(ja);
    mg_string_free(jb);
    ja = run(a, "report", NULL);
    jb = run(b, "report", NULL);
    CHECK(ja && jb && strcmp(ja, jb) == 0);
    mg_string_free(ja);
    mg_string_free(jb);
    mg_diary_free(a);
    mg_diary_free(b);
}

/* The report a diary keeps up to date (its accumulators, then what was
 * added) equals the report of a new diary holding the same records. */
static void test_kept_report_equals_a_fresh_one(void) {
    mg_diary *d = NULL, *fresh = NULL;
    OK(mg_diary_new_sample(300, NULL, 0, &d));
    char *first = run(d, "report", NULL);
    mg_interaction running = interaction("k1", "service");
    running.first_response_at_ms = MG_NO_TIME; /* its clock still runs */
    OK(mg_diary_add_interaction(d, &running));
    mg_interaction settled = interaction("k2", "purchase");
    settled.resolved_at_ms = JAN5_10H + 30 * 3600 * 1000;
    OK(mg_diary_add_interaction(d, &settled));
    mg_feedback late = feedback("kf1", "nps", 2);
    late.interaction = str("i-0000007"); /* an interaction tallied before */
    OK(mg_diary_add_feedback(d, &late));
    char *kept = run(d, "report", NULL);
    char *diary = run(d, "diary", NULL);
    CHECK(diary != NULL);
    if (diary) {
        OK(mg_diary_new_json(S("kept.json"), (const uint8_t *)diary, strlen(diary), NULL, 0,
                             &fresh));
    }
    char *again = fresh ? run(fresh, "report", NULL) : NULL;
    CHECK(first && kept && again);
    CHECK(first && kept && strcmp(first, kept) != 0);
    CHECK(kept && again && strcmp(kept, again) == 0);
    mg_string_free(first);
    mg_string_free(kept);
    mg_string_free(again);
    mg_string_free(diary);
    mg_diary_free(fresh);
    mg_diary_free(d);
}

/* ---- a report streamed from files ------------------------------------------ */

static int write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    size_t n = strlen(text);
    int ok = fwrite(text, 1, n, f) == n;
    return fclose(f) == 0 && ok;
}

static mg_status report_files(const mg_files *files, const char *what, const char *read,
                              const char *options, char **out, char **skipped) {
    return mg_report_files(files, what, strlen(what), read, read ? strlen(read) : 0, options,
                           options ? strlen(options) : 0, out, NULL, skipped);
}

static void test_report_files(void) {
    char dir[] = "/tmp/mindgap-c-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char diary_path[64], inter_path[64], fb_path[64], jsonl_path[64];
    snprintf(diary_path, sizeof diary_path, "%s/diary.json", dir);
    snprintf(inter_path, sizeof inter_path, "%s/interactions.csv", dir);
    snprintf(fb_path, sizeof fb_path, "%s/feedback.csv", dir);
    snprintf(jsonl_path, sizeof jsonl_path, "%s/interactions.jsonl", dir);
    /* The sample's definitions, interactions with clocks stopped and
     * running, feedback with a detractor and a bad score (skipped when
     * lenient). */
    mg_diary *defs = NULL;
    OK(mg_diary_new_sample(0, NULL, 0, &defs));
    char *diary_json = run(defs, "diary", NULL);
    const char *inter = INTERACTION_HEADER
        "i1,2026-01-05T10:00:00+03:00,2026-01-05T11:00:00+03:00,,email,attraction\n"
        "i2,2026-01-05T10:00:00+03:00,,,chat,attraction\n"
        "i3,2026-01-06T09:00:00+03:00,2026-01-06T09:05:00+03:00,2026-01-08T09:00:00+03:00,email,service\n"
        "i4,2026-01-07T09:00:00+03:00,,,social,service\n";
    const char *fb = "id,at,interaction,stage,touchpoint,customer,kind,score\n"
                     "f1,2026-01-05T12:00:00+03:00,i1,,,,csat,5\n"
                     "f2,2026-01-06T12:00:00+03:00,i3,,,,nps,2\n"
                     "f3,2026-01-06T13:00:00+03:00,i3,,,,csat,x\n";
    CHECK(diary_json && write_text(diary_path, diary_json) && write_text(inter_path, inter) &&
          write_text(fb_path, fb) && write_text(jsonl_path, "{}\n"));

    mg_str interactions[] = {str(inter_path)};
    mg_str feedback_files[] = {str(fb_path)};
    mg_files files = MG_FILES_INIT;
    files.diary = str(diary_path);
    files.interactions = interactions;
    files.interactions_len = 1;
    files.feedback = feedback_files;
    files.feedback_len = 1;
    const char *lenient = "{\"mode\": \"lenient\"}";
    /* The same files loaded whole into a diary handle. */
    mg_diary *whole = NULL;
    OK(mg_diary_new_json(S("diary.json"), (const uint8_t *)diary_json, strlen(diary_json),
                         lenient, strlen(lenient), &whole));
    OK(mg_diary_read_csv(whole, S("interactions.csv"), (const uint8_t *)inter, strlen(inter), NULL));
    OK(mg_diary_read_csv(whole, S("feedback.csv"), (const uint8_t *)fb, strlen(fb), NULL));
    const char *whats[] = {"report", "report", "trend", "people", "drill", "follow_ups",
                           "problems"};
    const char *opts[] = {NULL, "{\"by\": [\"week\", \"channel\"]}", NULL, NULL,
                          "{\"class\": \"missed\"}", NULL, "{\"min_count\": 2}"};
    for (int k = 0; k < 7; k++) {
        char *streamed = NULL, *skipped = NULL;
        OK(report_files(&files, whats[k], lenient, opts[k], &streamed, &skipped));
        char *held = run(whole, whats[k], opts[k]);
        CHECK(streamed && held && strlen(streamed) > 100 && strcmp(streamed, held) == 0);
        /* The bad score is listed, with its file and line. */
        CHECK(skipped && strstr(skipped, "feedback.csv line 4") && strstr(skipped, "\"code\""));
        mg_string_free(streamed);
        mg_string_free(skipped);
        mg_string_free(held);
    }
    /* Strict: the bad score stops the report; nothing is written. */
    char *out = UNTOUCHED, *skipped = UNTOUCHED;
    mg_status s = report_files(&files, "report", NULL, NULL, &out, &skipped);
    CHECK(s != MG_OK && out == UNTOUCHED && skipped == UNTOUCHED);
    CHECK(strstr(last_error(), "feedback.csv line 4") != NULL);
    /* Without skipped_out, and without len_out. */
    files.feedback_len = 0;
    out = NULL;
    OK(mg_report_files(&files, S("report"), NULL, 0, NULL, 0, &out, NULL, NULL));
    CHECK(out && strstr(out, "\"stages\""));
    mg_string_free(out);

    /* Misuse: every failure names what was wrong. */
    out = UNTOUCHED;
    CHECK_STATUS(report_files(NULL, "report", NULL, NULL, &out, NULL), MG_NULL_ARGUMENT);
    CHECK_STATUS(report_files(&files, "report", NULL, NULL, NULL, NULL), MG_NULL_ARGUMENT);
    CHECK_STATUS(report_files(&files, "due", NULL, NULL, &out, NULL), MG_INVALID_OPTION);
    CHECK(strstr(last_error(), "report, trend") != NULL);
    CHECK_STATUS(report_files(&files, "report", NULL, "{\"bogus\": 1}", &out, NULL),
                 MG_INVALID_OPTION);
    CHECK_STATUS(report_files(&files, "report", "{\"mode\": \"sloppy\"}", NULL, &out, NULL),
                 MG_INVALID_OPTION);
    mg_files none = files;
    none.interactions_len = 0;
    CHECK_STATUS(report_files(&none, "report", NULL, NULL, &out, NULL), MG_INVALID_ARGUMENT);
    none.interactions = NULL;
    none.interactions_len = 1;
    CHECK_STATUS(report_files(&none, "report", NULL, NULL, &out, NULL), MG_NULL_ARGUMENT);
    mg_files missing = files;
    mg_str gone[] = {S_STR("/nonexistent/interactions.csv")};
    missing.interactions = gone;
    CHECK_STATUS(report_files(&missing, "report", NULL, NULL, &out, NULL), MG_IO);
    CHECK(strstr(last_error(), "/nonexistent/interactions.csv") != NULL);
    mg_files no_diary = files;
    no_diary.diary = str("/nonexistent/diary.json");
    CHECK_STATUS(report_files(&no_diary, "report", NULL, NULL, &out, NULL), MG_IO);
    no_diary.diary = str("");
    CHECK_STATUS(report_files(&no_diary, "report", NULL, NULL, &out, NULL), MG_INVALID_ARGUMENT);
    mg_files jsonl = files;
    mg_str lines[] = {str(jsonl_path)};
    jsonl.interactions = lines;
    CHECK_STATUS(report_files(&jsonl, "report", NULL, NULL, &out, NULL), MG_INVALID_OPTION);
    CHECK(strstr(last_error(), "CSV") != NULL);
    mg_str latin[] = {{"\xc0.csv", 5}};
    mg_files bad = files;
    bad.interactions = latin;
    CHECK_STATUS(report_files(&bad, "report", NULL, NULL, &out, NULL), MG_INVALID_UTF8_ARGUMENT);
    CHECK(out == UNTOUCHED);

    mg_string_free(diary_json);
    mg_diary_free(defs);
    mg_diary_free(whole);
    unlink(diary_path);
    unlink(inter_path);
    unlink(fb_path);
    unlink(jsonl_path);
    rmdir(dir);
}

static void test_add_misuse(void) {
    /* A NUL in a name (`sizeof name` counts the terminator): the error stays
     * the syntax error, and reading it neither fails nor changes it. */
    mg_diary *bad = NULL;
    CHECK_STATUS(mg_diary_new_json("diary.json", sizeof "diary.json", (const uint8_t *)"{oops", 5,
                                   NULL, 0, &bad),
                 MG_SYNTAX);
    char *msg = NULL;
    OK(mg_last_error_message(&msg, NULL));
    CHECK(msg && strncmp(msg, "diary.json\\0", 12) == 0);
    mg_string_free(msg);
    char *report = NULL;
    OK(mg_last_error_json(&report, NULL));
    CHECK(report && strstr(report, "\"code\": 11") && strstr(report, "\"kind\": \"syntax\""));
    mg_string_free(report);
    CHECK(strncmp(last_error(), "diary.json\\0", 12) == 0);

    mg_diary *d = NULL;
    OK(mg_diary_new_sample(0, NULL, 0, &d));
    /* The core's exact message (journal tests): the same from C. */
    CHECK_STATUS(mg_diary_add_json(d, S("{\"type\": \"feedback\", \"id\": \"f1\", \"at\": "
        "\"2026-05-01T10:00:00+03:00\", \"kind\": \"nps\", \"score\": 6.5, \"stage\": \"purchase\"}")),
        MG_INVALID_VALUE);
    CHECK(strcmp(last_error(), "at added[0], record \"f1\", field \"score\": invalid value \"6.5\": "
                               "expected a whole number from 0 to 10 for nps") == 0);
    char *json = NULL;
    OK(mg_last_error_json(&json, NULL));
    CHECK(strstr(json, "\"code\": 15") && strstr(json, "\"kind\": \"invalid_value\"") &&
          strstr(json, "\"field\": \"score\"") && strstr(json, "\"record\": \"f1\""));
    mg_string_free(json);
    CHECK_STATUS(mg_diary_add_json(d, S("{\"type\": ")), MG_SYNTAX);
    CHECK_STATUS(mg_diary_add_json(d, S("{\"type\": \"interaction\", \"id\": \"x\", \"colour\": 1}")),
                 MG_UNKNOWN_FIELD);
    CHECK_STATUS(mg_diary_add_json(d, NULL, 0), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_diary_add_json(NULL, S("{}")), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_diary_add_json(d, S("{\"type\": \"\xff\"}")), MG_INVALID_UTF8_ARGUMENT);

    mg_interaction i = interaction("k1", "attraction");
    OK(mg_diary_add_interaction(d, &i));
    CHECK_STATUS(mg_diary_add_interaction(d, &i), MG_DUPLICATE);
    CHECK_STATUS(mg_diary_add_interaction(d, NULL), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_diary_add_interaction(NULL, &i), MG_NULL_ARGUMENT);
    i = interaction("k2", "nowhere");
    CHECK_STATUS(mg_diary_add_interaction(d, &i), MG_UNKNOWN_REFERENCE);
    CHECK(strstr(last_error(), "unknown stage \"nowhere\"") != NULL);
    i = interaction("k3", "attraction");
    i.opened_at_ms = MG_NO_TIME;
    CHECK_STATUS(mg_diary_add_interaction(d, &i), MG_MISSING_FIELD);
    CHECK(strcmp(last_error(), "record \"k3\", field \"opened_at\": missing required field") == 0);
    i = interaction("k4", "attraction");
    i.first_response_at_ms = JAN5_10H - 1000;
    CHECK_STATUS(mg_diary_add_interaction(d, &i), MG_OUT_OF_ORDER);
    i = interaction("k5", "attraction");
    i.utc_offset_minutes = 24 * 60;
    CHECK_STATUS(mg_diary_add_interaction(d, &i), MG_INVALID_VALUE);
    CHECK(strstr(last_error(), "utc_offset_minutes") != NULL);
    i = interaction("k6", "attraction");
    i.opened_at_ms = INT64_MAX;
    CHECK_STATUS(mg_diary_add_interaction(d, &i), MG_INVALID_VALUE);
    /* Any instant accepted can be written and read back (issue: chrono's
     * last millisecond was accepted, then every analysis panicked writing
     * it; year 10000 was written as "+10000-…", which reading refuses). */
    i = interaction("k6a", "attraction");
    i.first_response_at_ms = MG_NO_TIME;
    i.resolved_at_ms = MG_NO_TIME;
    i.opened_at_ms = 8210266876799999; /* chrono's last millisecond */
    CHECK_STATUS(mg_diary_add_interaction(d, &i), MG_INVALID_VALUE);
    CHECK(strstr(last_error(), "year 1 to 9999") != NULL);
    i.opened_at_ms = 253402300800000; /* 10000-01-01T00:00:00Z */
    CHECK_STATUS(mg_diary_add_interaction(d, &i), MG_INVALID_VALUE);
    i.opened_at_ms = 253402300799999; /* 9999-12-31T23:59:59.999Z, +01:00: year 10000 there */
    i.utc_offset_minutes = 60;
    CHECK_STATUS(mg_diary_add_interaction(d, &i), MG_INVALID_VALUE);
    i.utc_offset_minutes = 0;
    OK(mg_diary_add_interaction(d, &i));
    i = interaction("k6b", "attraction");
    i.opened_at_ms = -62135596800001; /* a millisecond before the year 1 */
    CHECK_STATUS(mg_diary_add_interaction(d, &i), MG_INVALID_VALUE);
    char *written = run(d, "diary", NULL);
    CHECK(written && strstr(written, "9999-12-31T23:59:59.999+00:00"));
    mg_string_free(written);
    i = interaction("k7\xff", "attraction");
    CHECK_STATUS(mg_diary_add_interaction(d, &i), MG_INVALID_UTF8_ARGUMENT);
    i = interaction("k8", "attraction");
    i.customer.ptr = NULL;
    i.customer.len = 4;
    CHECK_STATUS(mg_diary_add_interaction(d, &i), MG_NULL_ARGUMENT);
    i = interaction("", "attraction");
    mg_status s = mg_diary_add_interaction(d, &i);
    CHECK(s == MG_MISSING_FIELD || s == MG_INVALID_VALUE);

    mg_feedback f = feedback("q1", "nps", 11);
    f.stage = str("attraction");
    CHECK_STATUS(mg_diary_add_feedback(d, &f), MG_INVALID_VALUE);
    f = feedback("q2", "gossip", 3);
    f.stage = str("attraction");
    CHECK_STATUS(mg_diary_add_feedback(d, &f), MG_INVALID_VALUE);
    CHECK(strstr(last_error(), "one of nps, csat, ces, rating, comment, reason") != NULL);
    f = feedback("q3", "csat", 4);
    f.stage = str("attraction");
    f.flags = 0x80;
    CHECK_STATUS(mg_diary_add_feedback(d, &f), MG_INVALID_ARGUMENT);
    f.flags = MG_FEEDBACK_HAS_SCORE;
    f.sentiment = str("grumpy");
    CHECK_STATUS(mg_diary_add_feedback(d, &f), MG_INVALID_VALUE);
    f.sentiment = str(NULL);
    f.score = NAN;
    s = mg_diary_add_feedback(d, &f);
    CHECK(s == MG_INVALID_VALUE);
    f.score = 4;
    f.at_ms = MG_NO_TIME;
    CHECK_STATUS(mg_diary_add_feedback(d, &f), MG_MISSING_FIELD);
    CHECK_STATUS(mg_diary_add_feedback(d, NULL), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_diary_add_feedback(NULL, &f), MG_NULL_ARGUMENT);

    /* A link to an interaction added later: pending until mg_diary_link. */
    f = feedback("q4", "csat", 2);
    f.interaction = str("later");
    OK(mg_diary_add_feedback(d, &f));
    CHECK_STATUS(mg_diary_link(d), MG_UNKNOWN_REFERENCE);
    CHECK(strstr(last_error(), "unknown interaction \"later\"") != NULL);
    i = interaction("later", "service");
    OK(mg_diary_add_interaction(d, &i));
    OK(mg_diary_link(d));
    CHECK_STATUS(mg_diary_link(NULL), MG_NULL_ARGUMENT);
    char *v = run(d, "validate", NULL);
    /* k1, k6a (at the end of the year 9999) and "later". */
    CHECK(v && strstr(v, "\"interactions\": 3") && strstr(v, "\"feedback\": 1"));
    mg_string_free(v);
    mg_diary_free(d);

    /* Lenient: bad records are listed, not fatal. */
    OK(mg_diary_new_sample(0, S("{\"mode\": \"lenient\"}"), &d));
    i = interaction("m1", "nowhere");
    OK(mg_diary_add_interaction(d, &i));
    f = feedback("m2", "csat", 3);
    f.interaction = str("ghost");
    OK(mg_diary_add_feedback(d, &f));
    OK(mg_diary_link(d));
    v = run(d, "validate", NULL);
    CHECK(v && strstr(v, "\"ok\": false") && strstr(v, "unknown stage \\\"nowhere\\\"") &&
          strstr(v, "unknown interaction \\\"ghost\\\""));
    mg_string_free(v);
    mg_diary_free(d);
}

/* ---- import profiles: a CRM's own export reads as mindgap's files ------- */

/* The report of a fixture diary with one CSV file read under `options`. */
static char *import_report(const char *dir, const char *csv_file, const char *options) {
    char rel[256];
    size_t json_len = 0, csv_len = 0;
    snprintf(rel, sizeof rel, "import/%s/diary.json", dir);
    char *json = fixture(rel, &json_len);
    snprintf(rel, sizeof rel, "import/%s/%s", dir, csv_file);
    char *csv = fixture(rel, &csv_len);
    char *out = NULL;
    mg_diary *d = NULL;
    if (json && csv &&
        mg_diary_new_json(S("diary.json"), (const uint8_t *)json, json_len, options,
                          options ? strlen(options) : 0, &d) == MG_OK &&
        mg_diary_read_csv(d, S("tickets.csv"), (const uint8_t *)csv, csv_len, NULL) == MG_OK) {
        out = run(d, "report", NULL);
    } else {
        fprintf(stderr, "import %s/%s: %s\n", dir, csv_file, last_error());
    }
    mg_diary_free(d);
    free(json);
    free(csv);
    return out;
}

static void test_import_profile(void) {
    /* Windows-1251, ';', day-first local dates, Russian headers and values:
     * the profile alone reads it. */
    char *got = import_report("bitrix24", "tickets.csv", "{\"csv\": {\"from\": \"bitrix24\"}}");
    char *want = import_report("bitrix24", "canonical/interactions.csv", NULL);
    CHECK(got && want && strcmp(got, want) == 0);
    mg_string_free(got);
    mg_string_free(want);
    /* Without it: the missing columns name the profile the header looks like. */
    size_t json_len = 0, csv_len = 0;
    char *json = fixture("import/bitrix24/diary.json", &json_len);
    char *csv = fixture("import/bitrix24/tickets.csv", &csv_len);
    mg_diary *d = NULL;
    OK(mg_diary_new_json(S("diary.json"), (const uint8_t *)json, json_len, NULL, 0, &d));
    CHECK_STATUS(mg_diary_read_csv(d, S("tickets.csv"), (const uint8_t *)csv, csv_len, NULL),
                 MG_MISSING_COLUMNS);
    CHECK(strstr(last_error(), "\"from\": \"bitrix24\"") != NULL);
    mg_diary_free(d);
    /* An unknown profile is an option error listing the known ones. */
    d = NULL;
    CHECK_STATUS(mg_diary_new_json(S("diary.json"), (const uint8_t *)json, json_len,
                                   S("{\"csv\": {\"from\": \"excel\"}}"), &d),
                 MG_INVALID_OPTION);
    CHECK(strstr(last_error(), "zendesk") != NULL);
    mg_diary_free(d);
    free(json);
    free(csv);
}

/* ---- input errors: one code per mistake in every format, bounded -------- */

static void test_input_errors_are_precise_and_bounded(void) {
    mg_diary *d = NULL;
    OK(mg_diary_new_sample(0, NULL, 0, &d));
    /* A bad timestamp is an invalid value naming the field, in JSON Lines and
     * added JSON as in CSV (it was a type mismatch without the field). */
    const char *line = "{\"type\": \"interaction\", \"id\": \"j1\", \"opened_at\": \"yesterday\", "
                       "\"channel\": \"chat\", \"stage\": \"attraction\"}\n";
    CHECK_STATUS(mg_diary_read_jsonl(d, S("records.jsonl"), (const uint8_t *)line, strlen(line)),
                 MG_INVALID_VALUE);
    CHECK(strstr(last_error(), "records.jsonl line 1") && strstr(last_error(), "field \"opened_at\""));
    CHECK_STATUS(mg_diary_add_json(d, line, strlen(line) - 1), MG_INVALID_VALUE);
    CHECK(strstr(last_error(), "field \"opened_at\"") != NULL);
    /* A duplicate added as JSON says where the first came from, not "line 0". */
    const char *ok = "{\"type\": \"interaction\", \"id\": \"j2\", \"opened_at\": "
                     "\"2026-05-05T10:00:00+03:00\", \"channel\": \"chat\", \"stage\": \"attraction\"}";
    OK(mg_diary_add_json(d, ok, strlen(ok)));
    CHECK_STATUS(mg_diary_add_json(d, ok, strlen(ok)), MG_DUPLICATE);
    CHECK(!strstr(last_error(), "line 0") && strstr(last_error(), "added earlier"));
    /* Options are an object: an array is not read as fields in order. */
    char *out = NULL;
    size_t len = 0;
    CHECK_STATUS(mg_diary_run(d, S("report"), S("[0.9]"), &out, &len), MG_INVALID_OPTION);
    CHECK(strstr(last_error(), "JSON object") != NULL);
    /* A megabyte of nonsense is named, not repeated. */
    size_t big = 1 << 20;
    char *name = malloc(big + 1);
    CHECK(name != NULL);
    if (name) {
        memset(name, 'x', big);
        name[big] = '\0';
        CHECK_STATUS(mg_diary_run(d, name, big, NULL, 0, &out, &len), MG_INVALID_OPTION);
        CHECK(strlen(last_error()) < 1000 && strstr(last_error(), "bytes") != NULL);
        char *value = malloc(big + 200);
        CHECK(value != NULL);
        if (value) {
            int n = snprintf(value, 200, "{\"type\": \"interaction\", \"id\": \"j3\", \"opened_at\": \"");
            memset(value + n, '7', big);
            strcpy(value + n + big, "\", \"channel\": \"chat\", \"stage\": \"attraction\"}");
            CHECK_STATUS(mg_diary_add_json(d, value, strlen(value)), MG_INVALID_VALUE);
            CHECK(strlen(last_error()) < 1000);
            free(value);
        }
        free(name);
    }
    mg_diary_free(d);
}

/* ---- SLA: conditional expectations and the breach queue (fixtures/sla) ---- */

static void test_sla_due(void) {
    size_t json_len = 0, csv_len = 0, want_len = 0, opt_len = 0;
    char *json = fixture("sla/diary.json", &json_len);
    char *csv = fixture("sla/tickets.csv", &csv_len);
    char *want = fixture("sla/due.json", &want_len);
    char *options = fixture("sla/due-options.json", &opt_len);
    CHECK(json && csv && want && options);
    if (!json || !csv || !want || !options) return;
    while (opt_len > 0 && options[opt_len - 1] == '\n') options[--opt_len] = '\0';
    mg_diary *d = NULL;
    OK(mg_diary_new_json(S("diary.json"), (const uint8_t *)json, json_len, NULL, 0, &d));
    OK(mg_diary_read_csv(d, S("tickets.csv"), (const uint8_t *)csv, csv_len, NULL));
    /* The same bytes as the Rust library and the CLI (the golden ends in a newline). */
    char *out = run(d, "due", options);
    CHECK(out && strlen(out) + 1 == want_len && strncmp(out, want, want_len - 1) == 0);
    mg_string_free(out);
    /* An urgent ticket added as a struct is picked by the urgent policy. */
    /* (Monday 12 January: the New Year week is a holiday every year.) */
    mg_interaction i = interaction("T20", "support");
    i.priority = str("Urgent");
    i.opened_at_ms = 1768201200000; /* 2026-01-12T10:00:00+03:00 */
    i.first_response_at_ms = MG_NO_TIME;
    OK(mg_diary_add_interaction(d, &i));
    out = run(d, "due", "{\"filters\": {\"as_of\": \"2026-01-12T10:30:00+03:00\"}, "
                        "\"expectation\": \"first-reply-urgent\"}");
    CHECK(out && strstr(out, "\"id\": \"T20\"") && strstr(out, "\"state\": \"on_track\"") &&
          strstr(out, "\"breach_at\": \"2026-01-12T11:00:00+03:00\""));
    mg_string_free(out);
    /* Options are checked and named. */
    char *none = NULL;
    size_t len = 0;
    CHECK_STATUS(mg_diary_run(d, S("due"), S("{\"within\": \"soon\"}"), &none, &len),
                 MG_INVALID_OPTION);
    CHECK(strstr(last_error(), "within") != NULL);
    mg_diary_free(d);
    /* A `when` over an unknown field is refused, naming it. */
    char *bad = strstr(json, "\"priority\": \"high\"");
    CHECK(bad != NULL);
    if (bad) memcpy(bad, "\"priorit_\"", 10);
    d = NULL;
    CHECK(mg_diary_new_json(S("diary.json"), (const uint8_t *)json, json_len, NULL, 0, &d) != MG_OK);
    CHECK(strstr(last_error(), "when.priorit_") != NULL);
    mg_diary_free(d);
    free(json);
    free(csv);
    free(want);
    free(options);
}

/* ---- golden invalid inputs (fixtures/invalid) --------------------------- */

typedef struct {
    const char *p, *end;
} cursor;

/* Reads "<key> <len>\n<bytes>\n"; returns 1 on success. */
static int next_field(cursor *c, char *key, size_t keycap, const char **data, size_t *len) {
    const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
    if (!nl) return 0;
    const char *sp = memchr(c->p, ' ', (size_t)(nl - c->p));
    const char *kend = sp ? sp : nl;
    size_t klen = (size_t)(kend - c->p);
    if (klen + 1 > keycap) return 0;
    memcpy(key, c->p, klen);
    key[klen] = 0;
    *len = sp ? strtoull(sp + 1, NULL, 10) : 0;
    *data = nl + 1;
    if (!sp) { /* "end" */
        c->p = nl + 1;
        return 1;
    }
    if (strcmp(key, "code") == 0) {
        *data = NULL;
        c->p = nl + 1;
        return 1;
    }
    c->p = nl + 1 + *len + 1;
    return c->p <= c->end;
}

static void test_invalid_fixtures(const char *cases_path) {
    size_t flen = 0;
    char *file = read_file(cases_path, &flen);
    CHECK(file != NULL);
    if (!file) return;
    cursor c = {file, file + flen};
    int cases = 0, matched = 0;
    char key[64], name[256] = "";
    const char *data;
    size_t len;
    mg_diary *d = NULL;
    mg_status got = MG_OK;
    char got_message[4096] = "";
    long want_code = -1;
    while (next_field(&c, key, sizeof key, &data, &len)) {
        mg_status s = MG_OK;
        if (strcmp(key, "case") == 0) {
            snprintf(name, sizeof name, "%.*s", (int)len, data);
            got = MG_OK;
            got_message[0] = 0;
            d = NULL;
        } else if (strcmp(key, "diary") == 0) {
            s = mg_diary_new_json(S("diary.json"), (const uint8_t *)data, len, NULL, 0, &d);
        } else if (strcmp(key, "interactions_csv") == 0 && d && got == MG_OK) {
            s = mg_diary_read_csv(d, S("interactions.csv"), (const uint8_t *)data, len, NULL);
        } else if (strcmp(key, "feedback_csv") == 0 && d && got == MG_OK) {
            s = mg_diary_read_csv(d, S("feedback.csv"), (const uint8_t *)data, len, NULL);
        } else if (strcmp(key, "records_jsonl") == 0 && d && got == MG_OK) {
            s = mg_diary_read_jsonl(d, S("records.jsonl"), (const uint8_t *)data, len);
        } else if (strcmp(key, "code") == 0) {
            want_code = (long)len;
            if (d && got == MG_OK) { /* as Loader::finish does */
                s = mg_diary_link(d);
                if (s != MG_OK) {
                    got = s;
                    snprintf(got_message, sizeof got_message, "%s", last_error());
                }
            }
        } else if (strcmp(key, "message") == 0) {
            cases++;
            int ok = (long)got == want_code && strlen(got_message) == len &&
                     memcmp(got_message, data, len) == 0;
            if (ok) {
                matched++;
                passed++;
            } else {
                failed++;
                fprintf(stderr, "invalid case \"%s\": got %d \"%s\", expected %ld \"%.*s\"\n",
                        name, (int)got, got_message, want_code, (int)len, data);
            }
        } else if (strcmp(key, "end") == 0) {
            mg_diary_free(d);
            d = NULL;
        }
        if (s != MG_OK && got == MG_OK) {
            got = s;
            snprintf(got_message, sizeof got_message, "%s", last_error());
        }
    }
    CHECK(cases == 53 && matched == cases); /* every case in fixtures/invalid/cases.json */
    free(file);
}

/* ---- batch scoring ------------------------------------------------------ */

#define H 3600000LL

static void test_score_batch(void) {
    int64_t values[] = {H / 2, 2 * H, 2 * H, 4 * H};
    double positions[4] = {0};
    mg_batch_result r;
    OK(mg_score_batch(MG_LOWER_IS_BETTER, H, 3 * H, values, 4, positions, &r));
    CHECK(r.exceeded == 1 && r.within == 2 && r.missed == 1);
    CHECK(r.msa_sum == (double)(12 * H - 8 * H - H / 2)); /* 3.5 h */
    CHECK(r.mss_sum == (double)(4 * H - 8 * H - H / 2));
    CHECK(r.msa_mean == 0.875 * H);
    CHECK(r.zone_position_mean == 0.4375);
    CHECK(positions[0] == 1.25 && positions[1] == 0.5 && positions[3] == -0.5);
    /* Ratings: higher is better, micro-points. */
    int64_t stars[] = {5000000, 4000000, 3999999};
    OK(mg_score_batch(MG_HIGHER_IS_BETTER, 5000000, 4000000, stars, 3, NULL, &r));
    CHECK(r.exceeded == 1 && r.within == 1 && r.missed == 1);
    /* Empty, and a zone with no width. */
    OK(mg_score_batch(MG_LOWER_IS_BETTER, H, 3 * H, NULL, 0, NULL, &r));
    CHECK(r.exceeded == 0 && r.missed == 0 && isnan(r.msa_mean) && isnan(r.zone_position_mean));
    OK(mg_score_batch(MG_LOWER_IS_BETTER, H, H, values, 4, positions, &r));
    CHECK(isnan(r.zone_position_mean) && isnan(positions[0]) && r.exceeded == 1);
    /* Extreme values do not overflow: sums are exact. */
    int64_t big[] = {INT64_MAX, INT64_MAX, INT64_MIN, INT64_MIN};
    OK(mg_score_batch(MG_HIGHER_IS_BETTER, INT64_MAX - 1, -1, big, 4, NULL, &r));
    CHECK(r.exceeded == 2 && r.missed == 2 && r.msa_sum == 2.0); /* (2·MAX + 2·MIN) + 4 */
    /* A zone wider than int64_t can measure is refused, not wrapped. */
    CHECK_STATUS(mg_score_batch(MG_HIGHER_IS_BETTER, INT64_MAX, INT64_MIN, big, 4, NULL, &r),
                 MG_INVALID_ARGUMENT);
    /* Misuse: nothing written. */
    mg_batch_result before = r;
    CHECK_STATUS(mg_score_batch(0, H, 3 * H, values, 4, NULL, &r), MG_INVALID_ARGUMENT);
    CHECK_STATUS(mg_score_batch(3, H, 3 * H, values, 4, NULL, &r), MG_INVALID_ARGUMENT);
    CHECK_STATUS(mg_score_batch(MG_LOWER_IS_BETTER, 3 * H, H, values, 4, NULL, &r), MG_INVALID_OPTION);
    CHECK(strstr(last_error(), "desired 10800000 is worse than adequate 3600000") != NULL);
    CHECK_STATUS(mg_score_batch(MG_LOWER_IS_BETTER, H, 3 * H, NULL, 4, NULL, &r), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_score_batch(MG_LOWER_IS_BETTER, H, 3 * H, values, 4, NULL, NULL), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_score_batch(MG_LOWER_IS_BETTER, H, 3 * H, values, SIZE_MAX / 4, NULL, &r),
                 MG_LENGTH_OVERFLOW);
    CHECK(memcmp(&before, &r, sizeof r) == 0);
}

/* ---- accumulators ------------------------------------------------------- */

static char *figures(const mg_accumulator *a) {
    char *out = NULL;
    if (mg_accumulator_figures(a, 0.95, &out, NULL) != MG_OK) return NULL;
    return out;
}

static void test_accumulator(void) {
    mg_accumulator *a = UNTOUCHED;
    CHECK_STATUS(mg_accumulator_new(MG_LOWER_IS_BETTER, MG_UNIT_MILLISECONDS, 3 * H, H, &a),
                 MG_INVALID_OPTION);
    CHECK_STATUS(mg_accumulator_new(9, MG_UNIT_MILLISECONDS, H, 3 * H, &a), MG_INVALID_ARGUMENT);
    CHECK_STATUS(mg_accumulator_new(MG_LOWER_IS_BETTER, 0, H, 3 * H, &a), MG_INVALID_ARGUMENT);
    CHECK_STATUS(mg_accumulator_new(MG_LOWER_IS_BETTER, MG_UNIT_MILLISECONDS, INT64_MIN, INT64_MAX, &a),
                 MG_INVALID_ARGUMENT);
    CHECK_STATUS(mg_accumulator_new(MG_LOWER_IS_BETTER, MG_UNIT_MILLISECONDS, H, 3 * H, NULL),
                 MG_NULL_ARGUMENT);
    CHECK(a == UNTOUCHED);
    OK(mg_accumulator_new(MG_LOWER_IS_BETTER, MG_UNIT_MILLISECONDS, H, 3 * H, &a));
    mg_class cls = (mg_class)0;
    OK(mg_accumulator_add(a, H / 2, &cls));
    CHECK(cls == MG_EXCEEDED);
    OK(mg_accumulator_add(a, 2 * H, &cls));
    CHECK(cls == MG_WITHIN);
    int64_t more[] = {2 * H, 4 * H};
    OK(mg_accumulator_add_many(a, more, 2));
    OK(mg_accumulator_add_many(a, NULL, 0));
    OK(mg_accumulator_add_missed(a));
    OK(mg_accumulator_add_pending(a));
    mg_counts k;
    OK(mg_accumulator_counts(a, &k));
    CHECK(k.exceeded == 1 && k.within == 2 && k.missed == 2 && k.pending == 1 && k.valued == 4);
    char *f = figures(a);
    /* The core's figures_by_hand: mean MSA 0.875 h, zone position 0.4375. */
    CHECK(f && strstr(f, "\"n\": 5") && strstr(f, "\"pending\": 1") &&
          strstr(f, "\"zone_position\": 0.4375") && strstr(f, "\"mean\": 3150.0"));
    mg_string_free(f);

    /* Merge of parts = the whole. */
    mg_accumulator *p1 = NULL, *p2 = NULL;
    OK(mg_accumulator_new(MG_LOWER_IS_BETTER, MG_UNIT_MILLISECONDS, H, 3 * H, &p1));
    OK(mg_accumulator_new(MG_LOWER_IS_BETTER, MG_UNIT_MILLISECONDS, H, 3 * H, &p2));
    OK(mg_accumulator_add(p2, 4 * H, NULL));
    OK(mg_accumulator_add_pending(p2));
    OK(mg_accumulator_add(p1, 2 * H, NULL));
    OK(mg_accumulator_add_missed(p1));
    OK(mg_accumulator_add(p2, H / 2, NULL));
    OK(mg_accumulator_add(p1, 2 * H, NULL));
    OK(mg_accumulator_merge(p1, p2));
    char *whole = figures(a), *merged = figures(p1);
    CHECK(whole && merged && strcmp(whole, merged) == 0);
    mg_string_free(merged);
    /* Self-merge doubles. */
    OK(mg_accumulator_merge(p2, p2));
    OK(mg_accumulator_counts(p2, &k));
    CHECK(k.valued == 4 && k.pending == 2 && k.missed == 2);

    /* Different zones: refused, dst unchanged. */
    mg_accumulator *other = NULL;
    OK(mg_accumulator_new(MG_LOWER_IS_BETTER, MG_UNIT_MILLISECONDS, H, 2 * H, &other));
    OK(mg_accumulator_add(other, H, NULL));
    CHECK_STATUS(mg_accumulator_merge(p1, other), MG_INVALID_OPTION);
    CHECK(strstr(last_error(), "different zones") != NULL);
    merged = figures(p1);
    CHECK(merged && strcmp(whole, merged) == 0);
    mg_string_free(merged);
    CHECK_STATUS(mg_accumulator_merge(NULL, p1), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_accumulator_merge(p1, NULL), MG_NULL_ARGUMENT);

    /* Serialize / deserialize round trip. */
    uint8_t *bytes = NULL;
    size_t blen = 0;
    OK(mg_accumulator_serialize(a, &bytes, &blen));
    CHECK(bytes && blen > 0);
    mg_accumulator *back = NULL;
    OK(mg_accumulator_deserialize(bytes, blen, &back));
    char *fb = figures(back);
    CHECK(fb && strcmp(fb, whole) == 0);
    mg_string_free(fb);
    /* Corrupt forms. */
    mg_accumulator *bad = UNTOUCHED;
    CHECK_STATUS(mg_accumulator_deserialize(bytes, blen - 1, &bad), MG_SYNTAX);
    CHECK_STATUS(mg_accumulator_deserialize((const uint8_t *)"garbage", 7, &bad), MG_SYNTAX);
    CHECK_STATUS(mg_accumulator_deserialize((const uint8_t *)"", 0, &bad), MG_SYNTAX);
    CHECK_STATUS(mg_accumulator_deserialize((const uint8_t *)"{\"format\": \"x\"}", 15, &bad),
                 MG_MISMATCH);
    const char *wrong_format =
        "{\"format\": \"mindgap.accumulator/9\", \"accumulator\": {\"zone\": {\"direction\": "
        "\"lower_is_better\", \"unit\": \"milliseconds\", \"desired\": 1, \"adequate\": 3}, "
        "\"exceeded\": 0, \"within\": 0, \"missed\": 0, \"pending\": 0, \"values\": []}}";
    CHECK_STATUS(mg_accumulator_deserialize((const uint8_t *)wrong_format, strlen(wrong_format), &bad),
                 MG_MISMATCH);
    const char *inconsistent =
        "{\"format\": \"mindgap.accumulator/1\", \"accumulator\": {\"zone\": {\"direction\": "
        "\"lower_is_better\", \"unit\": \"milliseconds\", \"desired\": 1, \"adequate\": 3}, "
        "\"exceeded\": 5, \"within\": 0, \"missed\": 0, \"pending\": 0, \"values\": [2]}}";
    CHECK_STATUS(mg_accumulator_deserialize((const uint8_t *)inconsistent, strlen(inconsistent), &bad),
                 MG_MISMATCH);
    const char *inverted =
        "{\"format\": \"mindgap.accumulator/1\", \"accumulator\": {\"zone\": {\"direction\": "
        "\"lower_is_better\", \"unit\": \"milliseconds\", \"desired\": 9, \"adequate\": 3}, "
        "\"exceeded\": 0, \"within\": 0, \"missed\": 0, \"pending\": 0, \"values\": []}}";
    CHECK_STATUS(mg_accumulator_deserialize((const uint8_t *)inverted, strlen(inverted), &bad),
                 MG_INVALID_OPTION);
    const char *huge =
        "{\"format\": \"mindgap.accumulator/1\", \"accumulator\": {\"zone\": {\"direction\": "
        "\"lower_is_better\", \"unit\": \"milliseconds\", \"desired\": 1, \"adequate\": 3}, "
        "\"exceeded\": 0, \"within\": 0, \"missed\": 18446744073709551615, \"pending\": 0, \"values\": []}}";
    CHECK_STATUS(mg_accumulator_deserialize((const uint8_t *)huge, strlen(huge), &bad), MG_MISMATCH);
    CHECK_STATUS(mg_accumulator_deserialize(NULL, 0, &bad), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_accumulator_deserialize(bytes, blen, NULL), MG_NULL_ARGUMENT);
    CHECK(bad == UNTOUCHED);
    mg_bytes_free(bytes);
    bytes = NULL;
    CHECK_STATUS(mg_accumulator_serialize(NULL, &bytes, &blen), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_accumulator_serialize(a, NULL, &blen), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_accumulator_serialize(a, &bytes, NULL), MG_NULL_ARGUMENT);

    /* Figures and counts misuse. */
    char *out = UNTOUCHED;
    CHECK_STATUS(mg_accumulator_figures(a, 1.5, &out, NULL), MG_INVALID_ARGUMENT);
    CHECK_STATUS(mg_accumulator_figures(a, 0.0, &out, NULL), MG_INVALID_ARGUMENT);
    CHECK_STATUS(mg_accumulator_figures(a, NAN, &out, NULL), MG_INVALID_ARGUMENT);
    CHECK_STATUS(mg_accumulator_figures(NULL, 0.95, &out, NULL), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_accumulator_figures(a, 0.95, NULL, NULL), MG_NULL_ARGUMENT);
    CHECK(out == UNTOUCHED);
    CHECK_STATUS(mg_accumulator_counts(NULL, &k), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_accumulator_counts(a, NULL), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_accumulator_add(NULL, 1, NULL), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_accumulator_add_many(NULL, more, 2), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_accumulator_add_many(a, NULL, 2), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_accumulator_add_pending(NULL), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_accumulator_add_missed(NULL), MG_NULL_ARGUMENT);

    /* An empty accumulator has reasons, not NaN. */
    mg_accumulator *empty = NULL;
    OK(mg_accumulator_new(MG_HIGHER_IS_BETTER, MG_UNIT_MICRO_POINTS, 5000000, 4000000, &empty));
    f = figures(empty);
    CHECK(f && strstr(f, "\"absent\"") && !strstr(f, "NaN") && !strstr(f, "null"));
    mg_string_free(f);

    /* A million values. */
    size_t n = small ? 100000 : 1000000;
    int64_t *many = malloc(n * sizeof *many);
    for (size_t i = 0; i < n; i++) many[i] = (int64_t)(i % 5000) * 1000;
    OK(mg_accumulator_add_many(empty, many, n));
    OK(mg_accumulator_counts(empty, &k));
    CHECK(k.valued == n);
    free(many);

    mg_string_free(whole);
    mg_accumulator_free(a);
    mg_accumulator_free(p1);
    mg_accumulator_free(p2);
    mg_accumulator_free(other);
    mg_accumulator_free(back);
    mg_accumulator_free(empty);
}

/* ---- threads ------------------------------------------------------------ */

typedef struct {
    const mg_diary *d;
    char *report;
    int own_error_kept;
} worker;

static void *work(void *arg) {
    worker *w = arg;
    /* This thread's failure stays this thread's. */
    mg_diary_run(NULL, S("report"), NULL, 0, NULL, NULL);
    w->report = run(w->d, "report", NULL);
    char *m = NULL;
    if (mg_last_error_message(&m, NULL) == MG_OK) {
        w->own_error_kept = strcmp(m, "out-parameter out is NULL") == 0;
        mg_string_free(m);
    }
    return NULL;
}

static void test_threads(void) {
    mg_diary *d = NULL;
    OK(mg_diary_new_sample(200, NULL, 0, &d));
    CHECK_STATUS(mg_accumulator_counts(NULL, NULL), MG_NULL_ARGUMENT);
    char mine[256];
    snprintf(mine, sizeof mine, "%s", last_error());
    worker w[2] = {{d, NULL, 0}, {d, NULL, 0}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, work, &w[i]);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    char *here = run(d, "report", NULL);
    CHECK(w[0].report && w[1].report && here && strcmp(w[0].report, here) == 0 &&
          strcmp(w[1].report, here) == 0);
    CHECK(w[0].own_error_kept && w[1].own_error_kept);
    CHECK(strcmp(last_error(), mine) == 0);
    mg_string_free(w[0].report);
    mg_string_free(w[1].report);
    mg_string_free(here);
    mg_diary_free(d);
}

/* ---- tz data: the default, an explicit choice, a bad one ------------------ */

static void test_tzdata(void) {
    char *out = NULL;
    size_t len = 0;
    /* scripts/test-c.sh sets MINDGAP_TZDATA=compiled: the golden files are
       made from the compiled copy. */
    OK(mg_tzdata(&out, &len));
    CHECK(out && strlen(out) == len);
    if (getenv("MINDGAP_TZDATA") && strcmp(getenv("MINDGAP_TZDATA"), "compiled") == 0) {
        CHECK(out && strstr(out, "\"source\": \"compiled\""));
    }
    mg_string_free(out);
    out = NULL;
    /* The system's database, where this machine has one. */
    mg_status s = mg_tzdata_set(S("system"), &out, &len);
    if (s == MG_OK) {
        CHECK(out && strstr(out, "\"source\": \"system\"") && strstr(out, "\"path\": "));
        mg_string_free(out);
        out = NULL;
        mg_diary *d = NULL;
        OK(mg_diary_new_sample(20, NULL, 0, &d));
        out = run(d, "report", NULL);
        CHECK(out && strstr(out, "\"tzdata\": {\n    \"source\": \"system\""));
        mg_string_free(out);
        out = NULL;
        mg_diary_free(d);
    } else {
        CHECK(s == MG_INVALID_OPTION && strstr(last_error(), "system"));
        printf("skipped: no system tz database (%s)\n", last_message);
    }
    /* A choice that cannot be used changes nothing. */
    CHECK_STATUS(mg_tzdata_set(S("/no/such/tzdir"), &out, &len), MG_INVALID_OPTION);
    CHECK(out == NULL && strstr(last_error(), "/no/such/tzdir"));
    CHECK_STATUS(mg_tzdata_set(NULL, 0, &out, &len), MG_NULL_ARGUMENT);
    CHECK_STATUS(mg_tzdata(NULL, NULL), MG_NULL_ARGUMENT);
    OK(mg_tzdata_set(S("compiled"), NULL, NULL));
    OK(mg_tzdata(&out, NULL));
    CHECK(out && strstr(out, "\"source\": \"compiled\""));
    mg_string_free(out);
}

/* ---- one diary shared by threads, no lock of the caller's ------------------
 * Writers add interactions (structs), feedback (JSON) and CSV rows while
 * readers run analyses on the same handle: changes wait for the runs and
 * run alone (the diary's own lock). Afterwards the shared diary equals one
 * fed the same records on one thread. */

#define HAMMER_THREADS 8
typedef struct {
    mg_diary *d;
    int index, rounds, writer;
    int failures, runs;
} hammer;

static mg_status add_round(mg_diary *d, int t, int k) {
    char id[32], fid[32], json[256], csv[256];
    snprintf(id, sizeof id, "t%d-%d", t, k);
    mg_interaction i = interaction(id, k % 2 ? "service" : "attraction");
    i.opened_at_ms += (int64_t)(t * 1000 + k) * 60000;
    i.first_response_at_ms = i.opened_at_ms + (int64_t)(k % 7) * 1800000;
    mg_status s = mg_diary_add_interaction(d, &i);
    if (s != MG_OK) return s;
    snprintf(fid, sizeof fid, "f%d-%d", t, k);
    snprintf(json, sizeof json,
             "{\"type\": \"feedback\", \"id\": \"%s\", \"at\": \"2026-01-07T10:00:00+03:00\", "
             "\"kind\": \"nps\", \"score\": %d, \"interaction\": \"%s\"}",
             fid, k % 11, id);
    if ((s = mg_diary_add_json(d, json, strlen(json))) != MG_OK) return s;
    if (k % 4 == 0) {
        snprintf(csv, sizeof csv,
                 INTERACTION_HEADER "c%d-%d,2026-01-06T10:00:00+03:00,2026-01-06T11:%02d:00+03:00,,"
                                    "chat,purchase\n",
                 t, k, k % 60);
        s = mg_diary_read_csv(d, S("hammer.csv"), (const uint8_t *)csv, strlen(csv), NULL);
    }
    return s;
}

static void *hammer_work(void *arg) {
    hammer *h = arg;
    static const char *whats[] = {"report", "validate", "trend", "follow_ups"};
    for (int k = 0; k < h->rounds; k++) {
        if (h->writer) {
            if (add_round(h->d, h->index, k) != MG_OK) h->failures++;
        } else {
            char *out = NULL;
            const char *what = whats[k % 4];
            if (mg_diary_run(h->d, what, strlen(what), NULL, 0, &out, NULL) != MG_OK || !out)
                h->failures++;
            else
                h->runs++;
            mg_string_free(out);
        }
    }
    return NULL;
}

static void test_threads_share_one_diary(void) {
    int rounds = small ? 12 : 120;
    mg_diary *shared = NULL, *alone = NULL;
    OK(mg_diary_new_sample(50, NULL, 0, &shared));
    OK(mg_diary_new_sample(50, NULL, 0, &alone));
    hammer h[HAMMER_THREADS];
    pthread_t t[HAMMER_THREADS];
    for (int i = 0; i < HAMMER_THREADS; i++) {
        h[i] = (hammer){shared, i, rounds, i % 2 == 0, 0, 0};
        CHECK(pthread_create(&t[i], NULL, hammer_work, &h[i]) == 0);
    }
    int failures = 0, runs = 0;
    for (int i = 0; i < HAMMER_THREADS; i++) {
        pthread_join(t[i], NULL);
        failures += h[i].failures;
        runs += h[i].runs;
    }
    CHECK(failures == 0);
    CHECK(runs == rounds * HAMMER_THREADS / 2);
    for (int i = 0; i < HAMMER_THREADS; i += 2)
        for (int k = 0; k < rounds; k++) OK(add_round(alone, i, k));
    OK(mg_diary_link(shared));
    OK(mg_diary_link(alone));
    const char *whats[] = {"validate", "report", "trend"};
    for (int w = 0; w < 3; w++) {
        char *a = run(shared, whats[w], NULL), *b = run(alone, whats[w], NULL);
        CHECK(a && b && strcmp(a, b) == 0);
        mg_string_free(a);
        mg_string_free(b);
    }
    char *v = run(shared, "validate", NULL);
    char expected[64];
    snprintf(expected, sizeof expected, "\"interactions\": %d",
             50 + HAMMER_THREADS / 2 * (rounds + rounds / 4));
    CHECK(v && strstr(v, expected) != NULL);
    mg_string_free(v);
    mg_diary_free(shared);
    mg_diary_free(alone);
}

/* ---- what fuzzing found (fuzz/regressions/), each once a panic ----------- */

static void test_fuzz_findings(void) {
    mg_diary *d = NULL;
    OK(mg_diary_new_sample(0, NULL, 0, &d));
    /* UTF-16 (its mark) ending in half a code unit: the decoder was called
       after it had finished (MG_PANIC); now the file reads to its end. */
    static const uint8_t odd[] = {0xFE, 0xFF, 'B'};
    mg_status s = mg_diary_read_csv(d, S("odd.csv"), odd, sizeof odd, NULL);
    CHECK(s != MG_PANIC && s != MG_OK);
    mg_diary_free(d);
}

/* ---- accumulators are bounded -------------------------------------------- */

static void test_accumulator_bound(void) {
    mg_accumulator *a = NULL;
    OK(mg_accumulator_new(MG_LOWER_IS_BETTER, MG_UNIT_MILLISECONDS, 1000, 3000, &a));
    int64_t v[] = {500, 2000, 4000};
    OK(mg_accumulator_add_many(a, v, 3));
    /* Checked before a value is read: the length alone is refused. */
    CHECK_STATUS(mg_accumulator_add_many(a, v, (size_t)MG_ACCUMULATOR_MAX_VALUES), MG_LENGTH_OVERFLOW);
    CHECK(strstr(last_error(), "over its limit of 134217728") != NULL);
    mg_counts c;
    OK(mg_accumulator_counts(a, &c));
    CHECK(c.valued == 3);
    CHECK(MG_ACCUMULATOR_MAX_VALUES == 134217728);
    mg_accumulator_free(a);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s <fixtures dir> <invalid cases file>\n", argv[0]);
        return 2;
    }
    fixtures_dir = argv[1];
    small = getenv("MG_TEST_SMALL") != NULL;
    /* MG_TEST_ONLY=threads: the thread tests alone (ThreadSanitizer, TSAN=1). */
    const char *only = getenv("MG_TEST_ONLY");
    if (only && strcmp(only, "threads") == 0) {
        test_threads();
        test_threads_share_one_diary();
        printf("%d passed, %d failed\n", passed, failed);
        return failed == 0 ? 0 : 1;
    }
    test_last_error_before_any_failure();
    test_version_and_names();
    test_struct_versions();
    test_bytes_free_needs_the_pointer_alone();
    test_frees_accept_null();
    test_sample_report_is_golden();
    test_closing_the_loop();
    test_run_misuse();
    test_new_misuse();
    test_read();
    test_failed_read_adds_nothing();
    test_import_profile();
    test_sla_due();
    test_input_errors_are_precise_and_bounded();
    test_report_files();
    test_huge_inputs();
    test_add_structs_equal_json();
    test_kept_report_equals_a_fresh_one();
    test_add_misuse();
    test_invalid_fixtures(argv[2]);
    test_score_batch();
    test_accumulator();
    test_threads();
    test_tzdata();
    test_threads_share_one_diary();
    test_accumulator_bound();
    test_fuzz_findings();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
