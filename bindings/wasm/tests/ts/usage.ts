// A small typed use of the package, type-checked by `tsc --noEmit` in
// scripts/test-wasm.sh (never run): the .d.ts must allow what users write
// and refuse what is wrong.
import {
  Diary,
  analyses,
  drillDown,
  followUps,
  gapReport,
  parseCsv,
  people,
  problems,
  run,
  sampleDiary,
  trend,
  validate,
  type DiaryData,
  type Drill,
  type FollowUpList,
  type ErrorReport,
  MindgapError,
  type Report,
  type ValidationReport,
} from 'mindgap';

const data: DiaryData = sampleDiary(50);
const report: Report = gapReport(data, { by: ['week', 'channel'], lang: 'ru', as_of: new Date() });
const firstMissed = report.stages[0].gap.missed;
const share: number | null = 'absent' in firstMissed ? null : firstMissed.share;
const weeks: string[] = report.breakdowns[0].groups.map((g) => g.key);
const nps = report.feedback.nps;
const npsValue: number | undefined = 'absent' in nps ? undefined : nps.nps;

const v: ValidationReport = validate(JSON.stringify(data), [
  { name: 'interactions.csv', content: 'id,opened_at,channel,stage\n' },
  { name: 'more', content: new Uint8Array(), format: 'jsonl' },
], { mode: 'strict' });
const errors: ErrorReport[] = v.errors;
const fatalCode: number | undefined = v.fatal?.code;

const parsed = parseCsv(data, 'id,at,kind,score\n', { file: 'feedback.csv', mode: 'lenient' });
const kind: 'interactions' | 'feedback' = parsed.kind;

const d = new Diary(data, { mode: 'lenient', name: 'shop.json' });
d.addInteraction({ id: 'x', opened_at: new Date(), channel: 'chat', stage: 'service' });
d.addFeedback({ id: 'f', at: '2026-01-05T10:00:00+03:00', kind: 'nps', score: 9 });
d.addRecord({ type: 'observation', id: 'o', expectation: 'one-click', at: new Date(), value: false });
const csvKind: 'interactions' | 'feedback' = d.readCsv('id,opened_at,channel,stage\n', 'x.csv');
const counts: number = d.counts.interactions;
const again: Report = d.report({ stages: ['service'] });
const anything: unknown = d.run('trend', { window: 'P7D' });
const names: string[] = analyses();
const t = trend(data, { metric: 'p90', by: 'expectation', bucket: 'month' });
const verdicts: string[] = t.series.map((x) => x.stats.verdict);
const withTrend = gapReport(data, { trend: true }).trend?.series.length;
const list: FollowUpList = followUps(data, { show: 'overdue', filters: { as_of: new Date() }, history: 'P14D' });
const overdueDue: (string | undefined)[] = list.follow_ups.map((f) => f.due);
const drill: Drill = drillDown(data, { expectation: 'chat-reply', class: 'missed', filters: { stages: ['attraction'] } });
const ids: string[] = drill.records.map((r) => r.id);
const lower: number = people(data, { by: 'team' }).people[0].met.lower;
const recurring: number = problems(data, { by: ['customer', 'stage'], min_count: 2 }).recurring.length;
const viaRun: unknown = run('report', data, {});
d.free();

try {
  gapReport('{');
} catch (e) {
  // A class: `instanceof` narrows `unknown` to it.
  if (e instanceof MindgapError) {
    const code: number = e.code;
    const where: string | undefined = e.location.file;
    const field: string | undefined = e.location.field;
    const stack: string | undefined = e.stack;
    void code, where, field, stack;
  }
  const asError: Error = e as MindgapError;
  void asError;
}
// `free()` then `[Symbol.dispose]()` (what a `using` block does after it).
const disposed = new Diary(data);
disposed.free();
disposed[Symbol.dispose]();

// Mistakes the types catch.
// @ts-expect-error: thrown by the package, not built by users
new MindgapError();
// @ts-expect-error: not a report option
gapReport(data, { confidnce: 0.9 });
// @ts-expect-error: not a drill class
drillDown(data, { class: 'late' });
// @ts-expect-error: not a dimension
gapReport(data, { by: ['weekday'] });
// @ts-expect-error: an interaction needs a stage
d.addInteraction({ id: 'y', opened_at: new Date(), channel: 'chat' });
// @ts-expect-error: not a feedback kind
d.addFeedback({ id: 'g', at: new Date(), kind: 'stars5' });
// @ts-expect-error: mode is strict or lenient
new Diary(data, { mode: 'loose' });

void share, weeks, npsValue, errors, fatalCode, kind, csvKind, counts, again, anything, names, viaRun;
void overdueDue, ids, lower, recurring, verdicts, withTrend;
