/*
 * The gap report from C: the built-in sample diary (or a JSON diary and CSV
 * record files given as arguments), run through mg_diary_run("report").
 *
 *   report                       the sample's remarks, one per stage/expectation
 *   report --json                the whole report as JSON (what `mindgap report --format json` prints)
 *   report diary.json [a.csv…]   your diary and its record files
 *
 * Build: cc -std=c11 report.c $(pkg-config --cflags --libs mindgap)
 */
#include "mindgap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what, mg_status s) {
    char *msg = NULL;
    if (mg_last_error_message(&msg, NULL) == MG_OK) {
        fprintf(stderr, "%s: %s (%s)\n", what, msg, mg_status_name(s));
        mg_string_free(msg);
    }
    return 1;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf) *len = fread(buf, 1, (size_t)n, f);
    fclose(f);
    return buf;
}

int main(int argc, char **argv) {
    int json = argc > 1 && strcmp(argv[1], "--json") == 0;
    int first = json ? 2 : 1;
    mg_diary *diary = NULL;
    mg_status s;
    if (argc > first) {
        size_t len = 0;
        char *text = slurp(argv[first], &len);
        if (!text) return fprintf(stderr, "cannot read %s\n", argv[first]), 1;
        s = mg_diary_new_json(argv[first], strlen(argv[first]), (const uint8_t *)text, len, NULL, 0, &diary);
        free(text);
        if (s != MG_OK) return fail("diary", s);
        for (int i = first + 1; i < argc; i++) {
            text = slurp(argv[i], &len);
            if (!text) return fprintf(stderr, "cannot read %s\n", argv[i]), 1;
            s = mg_diary_read_csv(diary, argv[i], strlen(argv[i]), (const uint8_t *)text, len, NULL);
            free(text);
            if (s != MG_OK) return mg_diary_free(diary), fail(argv[i], s);
        }
        if ((s = mg_diary_link(diary)) != MG_OK) return mg_diary_free(diary), fail("links", s);
    } else if ((s = mg_diary_new_sample(300, NULL, 0, &diary)) != MG_OK) {
        return fail("sample", s);
    }

    char *report = NULL;
    size_t len = 0;
    s = mg_diary_run(diary, "report", 6, NULL, 0, &report, &len);
    mg_diary_free(diary);
    if (s != MG_OK) return fail("report", s);
    if (json) {
        fwrite(report, 1, len, stdout);
        putchar('\n');
    } else {
        /* The key lines: the diary's name and each row's remark. */
        for (char *line = strtok(report, "\n"); line; line = strtok(NULL, "\n")) {
            while (*line == ' ') line++;
            if (strncmp(line, "\"diary\":", 8) == 0 || strncmp(line, "\"remark\":", 9) == 0)
                puts(line);
        }
    }
    mg_string_free(report);
    return 0;
}
