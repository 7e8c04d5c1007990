// The npm package's API in Node (node --test): plain objects out, real
// Errors with the core's codes, the golden fixtures shared with Rust and C.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const mg = require('../../pkg/node/mindgap.js');
const root = new URL('../../../../', import.meta.url);
const fixture = (p) => readFileSync(new URL(`fixtures/${p}`, root));
const small = fixture('diary-small.json').toString('utf8');

function expectError(fn, code, kind, message) {
  let thrown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown, 'expected a throw');
  assert.ok(thrown instanceof Error, `a real Error, got ${typeof thrown}`);
  assert.ok(thrown instanceof mg.MindgapError, 'an instance of the exported class');
  assert.equal(thrown.name, 'MindgapError');
  assert.equal(thrown.code, code, thrown.message);
  assert.equal(thrown.kind, kind);
  assert.equal(typeof thrown.location, 'object');
  if (message instanceof RegExp) assert.match(thrown.message, message);
  else if (message !== undefined) assert.equal(thrown.message, message);
  return thrown;
}

function isPlain(v) {
  if (Array.isArray(v)) return v.every(isPlain);
  if (v === null || typeof v !== 'object') return true;
  return Object.getPrototypeOf(v) === Object.prototype && Object.values(v).every(isPlain);
}

test('version, analyses and the sample diary', () => {
  assert.match(mg.version(), /^\d+\.\d+\.\d+/);
  assert.deepEqual(mg.analyses(), ['validate', 'report', 'trend', 'follow_ups', 'due', 'drill', 'people', 'problems', 'diary']);
  const d = mg.sampleDiary(20);
  assert.equal(d.schema, 'mindgap/1');
  assert.equal(d.interactions.length, 20);
  assert.ok(isPlain(d));
});

test('the golden trend: the same figures as the CLI, p-values to the last bit', () => {
  const golden = JSON.parse(fixture('golden/sample-1200-trend.json'));
  const options = JSON.parse(fixture('golden/sample-1200-trend-options.json'));
  assert.deepStrictEqual(mg.trend(mg.sampleDiary(1200), options), golden);
  assert.deepStrictEqual(mg.run('trend', JSON.stringify(mg.sampleDiary(1200)), options), golden);
});

test('the golden report: gapReport(sampleDiary(300)) equals the Rust report', () => {
  const golden = JSON.parse(fixture('golden/sample-300-report.json'));
  const report = mg.gapReport(mg.sampleDiary(300));
  assert.ok(isPlain(report), 'plain objects and arrays only');
  // The tz data differs by design: the runtime's Intl here, the compiled
  // copy in the golden file (made natively); the rest is the same.
  const tz = process.versions.tz || 'unknown';
  assert.deepStrictEqual(report.tzdata, { source: 'Intl', release: tz });
  golden.tzdata = report.tzdata;
  assert.deepStrictEqual(report, golden);
  // The same through the class and through run().
  const d = mg.Diary.sample(300);
  try {
    assert.deepStrictEqual(d.report(), golden);
    assert.deepStrictEqual(d.run('report', {}), golden);
  } finally {
    d.free();
  }
  assert.deepStrictEqual(mg.run('report', JSON.stringify(mg.sampleDiary(300))), golden);
});

const cases = JSON.parse(fixture('invalid/cases.json'));
const expected = JSON.parse(fixture('invalid/expected.json'));

function caseInputs(c) {
  const enc = (text) =>
    c.encode_latin1 ? Uint8Array.from(text, (ch) => ch.charCodeAt(0)) : text;
  const files = [];
  if (c.interactions_csv !== undefined)
    files.push({ name: 'interactions.csv', content: enc(c.interactions_csv) });
  if (c.feedback_csv !== undefined) files.push({ name: 'feedback.csv', content: enc(c.feedback_csv) });
  if (c.records_jsonl !== undefined) files.push({ name: 'records.jsonl', content: enc(c.records_jsonl) });
  return { diary: c.diary !== undefined ? enc(c.diary) : small, files };
}

test('golden bad inputs: every case gets its code and exact message', async (t) => {
  assert.equal(cases.length, Object.keys(expected).length);
  for (const c of cases) {
    await t.test(c.name, () => {
      const want = expected[c.name];
      assert.ok(want, `no expectation for ${c.name}`);
      const { diary, files } = caseInputs(c);
      const strict = mg.validate(diary, files, { mode: 'strict' });
      assert.equal(strict.ok, false);
      assert.deepStrictEqual(strict.fatal, want);
      // Lenient: the same error, fatal or as the first rejected record.
      const lenient = mg.validate(diary, files);
      const first = lenient.fatal ?? lenient.errors[0];
      assert.equal(first.message, want.message);
      // The class throws it as a real Error while reading; links to records
      // that may come later (a feedback's interaction, a follow-up's
      // feedback and its instant) are checked at the end (validate, run).
      let thrown;
      let d;
      try {
        d = new mg.Diary(diary);
        for (const f of files) {
          if (f.name.endsWith('.csv')) d.readCsv(f.content, f.name);
          else d.readJsonl(f.content, f.name);
        }
      } catch (e) {
        thrown = e;
      } finally {
        d?.free();
      }
      if (thrown === undefined) {
        const deferred = want.kind === 'unknown_reference' || (want.location.field === 'at' && c.records_jsonl?.includes('"follow_up"'));
        assert.ok(deferred, 'only a deferred link may pass the class');
      } else {
        assert.ok(thrown instanceof Error);
        assert.deepStrictEqual({ code: thrown.code, kind: thrown.kind, message: thrown.message, location: thrown.location }, want);
      }
    });
  }
});

test('errors are Error objects with code, kind and location', () => {
  const e = expectError(() => mg.gapReport('{"schema": '), 11, 'syntax', 'diary.json line 1, at schema: malformed input: EOF while parsing a value (column 11)');
  assert.deepEqual(e.location, { file: 'diary.json', line: 1, path: 'schema' });
  expectError(() => mg.gapReport(new Uint8Array([0x7b, 0xff])), 14, 'invalid_utf8');
  expectError(() => mg.gapReport(42), 23, 'invalid_option', /expected a diary object/);
  expectError(() => mg.gapReport(small, { confidnce: 0.9 }), 23, 'invalid_option', /report\.confidnce/);
  expectError(() => mg.gapReport(small, { confidence: 2 }), 23, 'invalid_option', /confidence/);
  expectError(() => mg.gapReport(small, [1]), 23, 'invalid_option', /options must be an object/);
  expectError(() => mg.run('reprot', small), 23, 'invalid_option', /unknown analysis "reprot"; the analyses are: validate, report, trend, follow_ups, due, drill, people, problems, diary/);
  expectError(() => mg.validate(small, [{ name: 'x.xlsx', content: '' }]), 23, 'invalid_option', /files\[0\]\.format/);
  expectError(() => mg.validate(small, 'nope'), 23, 'invalid_option', /expected an array/);
  expectError(() => mg.validate(small, [], { mood: 'lenient' }), 23, 'invalid_option', /validate\.mood/);
  const cyclic = {};
  cyclic.self = cyclic;
  expectError(() => mg.gapReport(cyclic), 23, 'invalid_option', /circular/i);
});

test('followUps: overdue, open and closed, with the same figures as the report', () => {
  const diary = mg.sampleDiary(1200);
  const list = mg.followUps(diary);
  assert.equal(list.schema, 'mindgap/follow-ups/1');
  assert.ok(isPlain(list));
  const s = list.summary;
  assert.equal(s.total, s.open + s.overdue + s.closed);
  assert.equal(list.follow_ups.length, s.total);
  assert.ok(s.closed > 0 && list.follow_ups.every((f) => f.triggers.length > 0));
  const overdue = mg.followUps(diary, { show: 'overdue' });
  assert.equal(overdue.follow_ups.length, s.overdue);
  assert.ok(overdue.follow_ups.every((f) => f.state === 'overdue' && f.due));
  // The follow_up expectation's missed count: overdue ones plus the ones closed late.
  const report = mg.gapReport(diary);
  const missed = (id) => report.expectations.find((e) => e.id === id).gap.missed.k;
  const late = list.follow_ups.filter((f) => f.expectation && (f.state === 'overdue' || f.late)).length;
  assert.equal(missed('complaint-callback') + missed('delivery-complaint-callback'), late);
  expectError(() => mg.followUps(diary, { history: 'soon' }), 23, 'invalid_option', /follow_ups/);
});

test('bad arguments throw a MindgapError naming them, never trap', () => {
  const d = mg.sampleDiary(50);
  const diary = new mg.Diary(d);
  expectError(() => mg.run(5, d), 23, 'invalid_option', /analysis.*expected a string, got number/);
  expectError(() => mg.run({}, d), 23, 'invalid_option', /expected a string, got object/);
  expectError(() => diary.run(5), 23, 'invalid_option', /analysis/);
  expectError(() => diary.readCsv('id,at,kind\n', 5), 23, 'invalid_option', /name.*got number/);
  expectError(() => diary.readJsonl('', {}), 23, 'invalid_option', /name.*got object/);
  expectError(() => mg.sampleDiary(-1), 23, 'invalid_option', /rows.*-1/);
  expectError(() => mg.sampleDiary(1.5), 23, 'invalid_option', /whole number/);
  expectError(() => mg.Diary.sample(1e9), 23, 'invalid_option', /rows/);
  // An invalid Date is named, not silently dropped (JSON.stringify writes null).
  expectError(() => mg.gapReport(d, { as_of: new Date('x') }), 23, 'invalid_option', /report\.as_of.*invalid Date/);
  expectError(
    () => diary.addInteraction({ id: 'z1', opened_at: new Date('nope'), channel: 'chat', stage: 'service' }),
    23,
    'invalid_option',
    /interaction\.opened_at/,
  );
  // A valid Date still reads.
  const at = new Date('2026-10-01T00:00:00Z');
  assert.equal(mg.gapReport(d, { as_of: at }).as_of, '2026-10-01T00:00:00+00:00');
  diary.free();
});

test('due: the breach queue of the SLA fixture, as the CLI and C give it', () => {
  const diary = fixture('sla/diary.json').toString('utf8');
  const tickets = fixture('sla/tickets.csv').toString('utf8');
  const d = new mg.Diary(diary);
  d.readCsv(tickets, 'tickets.csv');
  const queue = d.run('due', { filters: { as_of: '2026-11-09T11:00:00+03:00' }, changes_since: '2026-11-09T10:00:00+03:00' });
  assert.equal(queue.schema, 'mindgap/due/1');
  assert.ok(isPlain(queue));
  assert.deepEqual(
    queue.clocks.map((c) => [c.expectation, c.id, c.state, c.breach_at, c.change ?? null]),
    [
      ['first-reply-vip', 'T5', 'breached', '2026-11-09T10:45:00+03:00', 'newly_breached'],
      ['first-reply-urgent', 'T5', 'at_risk', '2026-11-09T11:15:00+03:00', 'newly_at_risk'],
      ['resolution-urgent', 'T5', 'on_track', '2026-11-09T14:15:00+03:00', null],
      ['first-reply-normal', 'T4', 'on_track', '2026-11-09T16:00:00+03:00', null],
      ['first-reply-normal', 'T9', 'on_track', '2026-11-09T17:00:00+03:00', null],
      // Low: by the end of the next business day (Tuesday), under the
      // hours from 10 November on (08:00-17:00).
      ['resolution-low', 'T9', 'on_track', '2026-11-11T08:00:00+03:00', null],
      ['resolution-other', 'T4', 'on_track', '2026-11-13T11:00:00+03:00', null],
      ['resolution-other', 'T6', 'on_track', '2026-11-13T12:30:00+03:00', null],
      ['resolution-urgent', 'T7', 'on_track', null, null],
      ['update-urgent', 'T7', 'on_track', null, null],
    ],
  );
  assert.deepEqual(queue.clocks[5].left, { business_days: 1.777778 });
  assert.equal(queue.clocks[8].paused, true);
  // The golden queue the Rust library, the C library and the CLI print.
  const options = JSON.parse(fixture('sla/due-options.json').toString('utf8'));
  assert.deepEqual(d.run('due', options), JSON.parse(fixture('sla/due.json').toString('utf8')));
  // The standalone function over plain objects gives the same.
  const plain = d.run('diary');
  const again = mg.due(plain, { filters: { as_of: '2026-11-09T11:00:00+03:00' }, breached: true });
  assert.deepEqual(again.clocks.map((c) => c.id), ['T5']);
  expectError(() => mg.due(plain, { within: 'soon' }), 23, 'invalid_option', /due/);
  // A `when` over an unknown field is refused, naming the record and field.
  const bad = JSON.parse(diary);
  bad.expectations[1].when = { prio: 'high' };
  assert.throws(
    () => new mg.Diary(JSON.stringify(bad)),
    (e) => e.name === 'MindgapError' && /when\.prio/.test(e.message) && /priority, category, tags/.test(e.message),
  );
  d.free();
});

test('drillDown lists exactly the records behind a figure; people and problems rank and list', () => {
  const diary = mg.sampleDiary(1200);
  const report = mg.gapReport(diary);
  for (const e of report.expectations) {
    const d = mg.drillDown(diary, { expectation: e.id, class: 'missed', limit: 100000 });
    const k = e.gap.missed.k ?? 0;
    assert.equal(d.matched, k, e.id);
    assert.equal(d.records.length, k, e.id);
    assert.ok(d.records.every((r) => r.class === 'missed' && r.expectation === e.id));
  }
  expectError(() => mg.drillDown(diary, { employee: 'nobody' }), 23, 'invalid_option', /"nobody"/);
  const people = mg.people(diary);
  assert.equal(people.schema, 'mindgap/people/1');
  assert.equal(people.people.at(-1).key, 'e-08');
  const lowers = people.people.map((p) => p.met.lower);
  assert.deepEqual(lowers, [...lowers].sort((a, b) => b - a));
  const problems = mg.problems(diary, { by: ['customer', 'employee'], min_count: 3 });
  assert.equal(problems.schema, 'mindgap/problems/1');
  assert.ok(problems.reasons.some((r) => r.reason === 'late_delivery'));
  expectError(() => mg.problems(diary, { min_count: 1 }), 23, 'invalid_option', /min_count/);
});

test('trend finds the sample patterns, like the CLI', () => {
  const t = mg.trend(mg.sampleDiary(2400), { metric: 'missed', by: 'stage', bucket: 'week' });
  assert.equal(t.schema, 'mindgap/trend/1');
  const verdict = (g) => t.series.find((s) => s.group === g).stats.verdict;
  assert.equal(verdict('service'), 'worsening');
  assert.equal(verdict('repeat'), 'no_significant_change');
  assert.match(t.drift[0].remark, /^Customers now expect 10 min–30 min, not 15 min–1 h/);
  expectError(() => mg.trend(small, { metric: 'p90' }), 23, 'invalid_option', /use by expectation/);
});

test('a diary object, its JSON text and its bytes give the same report', () => {
  const obj = mg.sampleDiary(60);
  const text = JSON.stringify(obj);
  const a = mg.gapReport(obj);
  assert.deepStrictEqual(mg.gapReport(text), a);
  assert.deepStrictEqual(mg.gapReport(new TextEncoder().encode(text)), a);
  assert.deepStrictEqual(mg.gapReport(new TextEncoder().encode(text).buffer), a);
});

test('report options: by week, language, as_of as a Date', () => {
  const obj = mg.sampleDiary(300);
  const r = mg.gapReport(obj, { by: ['week', 'channel'], lang: 'ru', as_of: new Date('2026-09-01T00:00:00Z') });
  assert.deepEqual(r.breakdowns.map((b) => b.dimension), ['week', 'channel']);
  assert.ok(r.breakdowns[0].groups.length > 1);
  assert.equal(r.as_of, '2026-09-01T00:00:00+00:00');
  assert.match(r.stages[0].name, /[а-я]/i);
});

test('validate: counts, files and every bad row (lenient by default)', () => {
  const csv =
    'id,opened_at,channel,stage\n' +
    'i1,2026-01-05T10:00:00+03:00,email,attraction\n' +
    'i2,not a time,email,attraction\n' +
    'i3,2026-01-05T10:00:00+03:00,email,nowhere\n';
  const v = mg.validate(small, [{ name: 'i.csv', content: csv }]);
  assert.equal(v.ok, false);
  assert.deepEqual(v.files, [
    { file: 'diary.json', kind: 'diary' },
    { file: 'i.csv', kind: 'interactions' },
  ]);
  assert.equal(v.counts.interactions, 1);
  assert.deepEqual(v.errors.map((e) => e.location.line), [3, 4]);
  assert.equal(v.errors[1].message, 'i.csv line 4, record "i3", field "stage": unknown stage "nowhere"');
  const ok = mg.validate(mg.sampleDiary(10), [], { name: 'shop.json' });
  assert.equal(ok.ok, true);
  assert.equal(ok.files[0].file, 'shop.json');
  const jsonl = '{"type": "interaction", "id": "j1", "opened_at": "2026-01-05T10:00:00+03:00", "channel": "chat", "stage": "service"}\n';
  const v2 = mg.validate(small, [{ name: 'extra', content: jsonl, format: 'jsonl' }]);
  assert.equal(v2.ok, true);
  assert.equal(v2.counts.interactions, 1);
});

test('parseCsv reads interactions and feedback into the definitions', () => {
  const sample = mg.sampleDiary(0);
  const csv = 'id,opened_at,first_response_at,channel,stage\ni1,2026-01-05T10:00:00+03:00,2026-01-05T11:00:00+03:00,email,attraction\n';
  const p = mg.parseCsv(sample, csv, { file: 'crm.csv' });
  assert.equal(p.kind, 'interactions');
  assert.equal(p.diary.interactions.length, 1);
  assert.deepEqual(p.errors, []);
  const fb = 'id,at,kind,score,interaction\nf1,2026-01-05T12:00:00+03:00,nps,9,i1\n';
  const p2 = mg.parseCsv(p.diary, fb);
  assert.equal(p2.kind, 'feedback');
  assert.equal(p2.diary.feedback.length, 1);
  expectError(
    () => mg.parseCsv(sample, 'id,at,kind,score\nf1,2026-01-05T12:00:00+03:00,nps,6.5\n', { file: 'fb.csv' }),
    15,
    'invalid_value',
    /^fb\.csv line 2, record "f1", field "score": invalid value "6\.5"/,
  );
  const lenient = mg.parseCsv(sample, 'id,opened_at,channel,stage\na,2026-01-05T10:00:00+03:00,chat,service\nb,bad,chat,service\n', { mode: 'lenient' });
  assert.equal(lenient.diary.interactions.length, 1);
  assert.equal(lenient.errors.length, 1);
  assert.equal(lenient.errors[0].code, 15);
  assert.equal(lenient.errors[0].location.field, 'opened_at');
  assert.equal(lenient.errors[0].location.line, 3);
});

test('Diary: records added one by one give the report of the whole', () => {
  const whole = mg.sampleDiary(200);
  const defs = { ...whole, interactions: [], feedback: [] };
  const d = new mg.Diary(defs);
  try {
    for (const i of whole.interactions) d.addInteraction(i);
    for (const f of whole.feedback) d.addFeedback(f);
    assert.equal(d.counts.interactions, 200);
    assert.deepStrictEqual(d.report(), mg.gapReport(whole));
    assert.deepStrictEqual(JSON.parse(JSON.stringify(d)), d.toJSON());
    assert.equal(d.validation().ok, true);
  } finally {
    d.free();
  }
});

test('Diary: the kept report and trend equal fresh ones after every batch of adds', () => {
  // A Diary keeps the accumulators of the last options asked for and reads
  // only what was added since: after each batch its report (and, in a second
  // diary, its trend) must equal the one-shot result over the same records.
  const whole = mg.sampleDiary(600);
  const defs = { ...whole, interactions: [], feedback: [] };
  const at = new Map(whole.interactions.map((i, n) => [i.id, n]));
  const reports = new mg.Diary(defs);
  const trends = new mg.Diary(defs);
  try {
    for (const [from, to] of [[0, 1], [1, 9], [9, 60], [60, 600]]) {
      for (const d of [reports, trends]) {
        for (const i of whole.interactions.slice(from, to)) d.addInteraction(i);
        for (const f of whole.feedback) {
          const n = f.interaction ? at.get(f.interaction) : 0;
          if (n >= from && n < to) d.addFeedback(f);
        }
      }
      assert.equal(reports.counts.interactions, to);
      assert.deepStrictEqual(reports.report(), mg.gapReport(reports.toJSON()), `report after ${to}`);
      assert.deepStrictEqual(trends.run('trend'), mg.trend(trends.toJSON()), `trend after ${to}`);
    }
    assert.equal(reports.counts.feedback, whole.feedback.length);
  } finally {
    reports.free();
    trends.free();
  }
});

test('Diary: adding an interaction changes the figures at once', () => {
  const d = mg.Diary.sample(100);
  try {
    const before = d.report();
    const stage = before.stages.find((s) => s.id === 'service');
    // An email answered a week later misses "reply by email in 1-3 days".
    d.addInteraction({
      id: 'late-1',
      opened_at: new Date('2026-07-06T09:00:00Z'),
      first_response_at: new Date('2026-07-13T09:00:00Z'),
      channel: 'email',
      stage: 'service',
    });
    const after = d.report().stages.find((s) => s.id === 'service');
    assert.ok(after.gap.n > stage.gap.n, `n ${stage.gap.n} -> ${after.gap.n}`);
    assert.ok(after.gap.missed.k > stage.gap.missed.k, 'one more missed');
    // The caller's object is not changed; a duplicate id is refused.
    const exp = d.report().expectations.find((e) => e.id === 'support-email-reply');
    const expBefore = before.expectations.find((e) => e.id === 'support-email-reply');
    assert.equal(exp.gap.missed.k, expBefore.gap.missed.k + 1);
    assert.equal(exp.gap.n, expBefore.gap.n + 1);
    const rec = { id: 'late-1', opened_at: '2026-07-06T09:00:00Z', channel: 'chat', stage: 'service' };
    expectError(() => d.addInteraction(rec), 19, 'duplicate', /"late-1"/);
    assert.equal(rec.type, undefined);
    // Records are numbered by attempt (the refused duplicate was added[1]).
    expectError(
      () => d.addFeedback({ id: 'f-x', at: '2026-07-06T09:00:00+03:00', kind: 'nps', score: 11, stage: 'service' }),
      15,
      'invalid_value',
      'at added[2], record "f-x", field "score": invalid value "11": expected a whole number from 0 to 10 for nps',
    );
    expectError(() => d.addInteraction('nope'), 23, 'invalid_option', /expected interaction as an object/);
    d.addRecord({ type: 'feedback', id: 'f-ok', at: '2026-07-13T10:00:00+03:00', kind: 'csat', score: 2, interaction: 'late-1' });
    assert.equal(d.report().stages.find((s) => s.id === 'service').feedback.answered, stage.feedback.answered + 1);
  } finally {
    d.free();
  }
});

test('Diary: lenient mode lists bad records instead of throwing; readCsv tells the kind', () => {
  const d = new mg.Diary(small, { mode: 'lenient', name: 'shop.json' });
  try {
    d.addInteraction({ id: 'x', opened_at: '2026-01-05T10:00:00+03:00', channel: 'chat', stage: 'nowhere' });
    assert.equal(d.counts.interactions, 0);
    const v = d.validation();
    assert.equal(v.ok, false);
    assert.equal(v.errors[0].kind, 'unknown_reference');
    const kind = d.readCsv('id,opened_at,channel,stage\ni9,2026-01-05T10:00:00+03:00,email,attraction\n', 'more.csv');
    assert.equal(kind, 'interactions');
    assert.equal(d.counts.interactions, 1);
    assert.deepEqual(d.validation().files.map((f) => f.file), ['shop.json', 'more.csv']);
  } finally {
    d.free();
  }
});

test('Diary: constructor errors throw; a freed diary cannot be used', () => {
  expectError(() => new mg.Diary('{"schema": "mindgap/2"}'), 12, 'unknown_schema', /mindgap\/2/);
  expectError(() => new mg.Diary(small, { mode: 'loose' }), 23, 'invalid_option', /Diary/);
  const d = new mg.Diary(small);
  d.free();
  expectError(() => d.report(), 23, 'invalid_option', /this Diary was freed/);
});

test('import profiles: a Zendesk export reads as mindgap files; other encodings are named', () => {
  const dir = 'import/zendesk';
  const diary = fixture(`${dir}/diary.json`).toString('utf8');
  const exported = new mg.Diary(diary, { csv: { from: 'zendesk' } });
  const canonical = new mg.Diary(diary);
  try {
    // Satisfaction in the ticket row becomes feedback records.
    assert.equal(exported.readCsv(fixture(`${dir}/tickets.csv`), 'tickets.csv'), 'interactions');
    canonical.readCsv(fixture(`${dir}/canonical/interactions.csv`), 'interactions.csv');
    canonical.readCsv(fixture(`${dir}/canonical/feedback.csv`), 'feedback.csv');
    assert.ok(exported.counts.feedback > 0);
    assert.deepEqual(exported.counts, canonical.counts);
    assert.deepEqual(exported.report(), canonical.report());
    // Windows-1251 bytes: this build reads UTF-8, and says what they look like.
    const ru = new mg.Diary(fixture('import/bitrix24/diary.json').toString('utf8'), { csv: { from: 'bitrix24' } });
    try {
      expectError(() => ru.readCsv(fixture('import/bitrix24/tickets.csv'), 'tickets.csv'), 23, 'invalid_option', /windows-1251/);
    } finally {
      ru.free();
    }
    expectError(() => new mg.Diary(diary, { csv: { from: 'excel' } }), 23, 'invalid_option', /zendesk/);
  } finally {
    exported.free();
    canonical.free();
  }
});
