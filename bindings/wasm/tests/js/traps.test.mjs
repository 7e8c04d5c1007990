// No trap, no silent accept (issue 30): every bad input of the issue throws a
// MindgapError (a real class: instanceof works), free() is idempotent and a
// freed Diary says so, and a strict read that fails adds nothing. Through
// the package's public entry point, as an app requires it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { consumer, fixtures } from './consumer.mjs';

const app = consumer('traps', { type: 'commonjs' });
const mg = createRequire(join(app, 'index.js'))('mindgap');
const small = readFileSync(join(fixtures, 'diary-small.json'), 'utf8');

/** Runs `fn`, which must throw a MindgapError; returns it. */
function thrown(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof mg.MindgapError, `a MindgapError, got ${e?.constructor?.name}: ${e?.message}`);
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'MindgapError');
    assert.equal(typeof e.code, 'number');
    assert.equal(typeof e.kind, 'string');
    assert.equal(typeof e.location, 'object');
    assert.match(e.stack, /MindgapError/);
    return e;
  }
  assert.fail('expected a throw');
}

test('MindgapError is an exported class that the thrown errors are instances of', () => {
  assert.equal(typeof mg.MindgapError, 'function');
  assert.equal(mg.MindgapError.name, 'MindgapError');
  assert.ok(mg.MindgapError.prototype instanceof Error);
  const e = thrown(() => mg.gapReport('{"schema": '));
  assert.deepEqual({ code: e.code, kind: e.kind, location: e.location }, {
    code: 11,
    kind: 'syntax',
    location: { file: 'diary.json', line: 1, path: 'schema' },
  });
  assert.equal(Object.prototype.toString.call(e), '[object Error]');
  assert.equal(String(e), `MindgapError: ${e.message}`);
  // An error holds no Rust memory: nothing to free on it.
  assert.equal(e.free, undefined);
  // Other errors are not MindgapErrors.
  assert.ok(!(new Error('x') instanceof mg.MindgapError));
  assert.ok(!(new TypeError('x') instanceof mg.MindgapError));
});

test('every bad input of issue 30 throws a MindgapError naming the argument', () => {
  const d = mg.sampleDiary(20);
  const diary = new mg.Diary(d);
  try {
    const cases = [
      ['run(5, d)', () => mg.run(5, d), 'analysis', /expected a string, got number/],
      ['run({}, d)', () => mg.run({}, d), 'analysis', /expected a string, got object/],
      ['diary.run(5)', () => diary.run(5), 'analysis', /expected a string, got number/],
      ["readCsv(csv, 5)", () => diary.readCsv('id,at,kind\n', 5), 'name', /got number/],
      ["readJsonl('', {})", () => diary.readJsonl('', {}), 'name', /got object/],
      ['sampleDiary(-1)', () => mg.sampleDiary(-1), 'rows', /from 0 to 1000000, got -1/],
      ['Diary.sample(-1)', () => mg.Diary.sample(-1), 'rows', /got -1/],
      ["as_of: new Date('x')", () => mg.gapReport(d, { as_of: new Date('x') }), 'report.as_of', /invalid Date/],
      ["diary.report({as_of: new Date('x')})", () => diary.report({ as_of: new Date('x') }), 'report.as_of', /invalid Date/],
      [
        'an added record with an invalid Date',
        () => diary.addInteraction({ id: 'z1', opened_at: new Date('nope'), channel: 'chat', stage: 'service' }),
        'interaction.opened_at',
        /invalid Date/,
      ],
    ];
    for (const [what, fn, field, message] of cases) {
      const e = thrown(fn);
      assert.equal(e.code, 23, what);
      assert.equal(e.kind, 'invalid_option', what);
      assert.equal(e.location.field, field, what);
      assert.match(e.message, message, what);
    }
    // An added record with a bad date names the record and the field, as CSV does.
    const e = thrown(() => diary.addInteraction({ id: 'z2', opened_at: 'yesterday', channel: 'chat', stage: 'service' }));
    assert.equal(e.kind, 'invalid_value');
    assert.equal(e.location.record, 'z2');
    assert.equal(e.location.field, 'opened_at');
    assert.match(e.message, /at added\[\d+\], record "z2", field "opened_at": invalid value "yesterday"/);
    const f = thrown(() => diary.addFeedback({ id: 'f-z', at: '2026-13-01T00:00:00Z', kind: 'csat', score: 4 }));
    assert.deepEqual([f.location.record, f.location.field], ['f-z', 'at']);
  } finally {
    diary.free();
  }
});

test('free() is idempotent; a freed Diary throws a clear MindgapError', () => {
  const d = new mg.Diary(small);
  assert.equal(d.counts.stages, 2);
  d.free();
  d.free();
  // `using` calls [Symbol.dispose]() at the end of the block, after an
  // explicit free() too.
  if (Symbol.dispose) d[Symbol.dispose]();
  const uses = {
    report: () => d.report(),
    run: () => d.run('report'),
    validation: () => d.validation(),
    toJSON: () => d.toJSON(),
    counts: () => d.counts,
    addInteraction: () => d.addInteraction({ id: 'x', opened_at: new Date(), channel: 'chat', stage: 'service' }),
    addFeedback: () => d.addFeedback({ id: 'f', at: new Date(), kind: 'nps', score: 9 }),
    addRecord: () => d.addRecord({ type: 'interaction', id: 'x' }),
    readCsv: () => d.readCsv('id,opened_at,channel,stage\n'),
    readJsonl: () => d.readJsonl(''),
    stringify: () => JSON.stringify(d),
  };
  for (const [what, use] of Object.entries(uses)) {
    const e = thrown(use);
    assert.equal(e.code, 23, what);
    assert.equal(e.location.field, 'Diary', what);
    assert.match(e.message, /this Diary was freed/, what);
    assert.doesNotMatch(e.message, /null pointer/, what);
  }
});

test('[Symbol.dispose] frees, as a using block does, and a dispose after it is fine', { skip: !Symbol.dispose }, () => {
  const d = mg.Diary.sample(10);
  d[Symbol.dispose]();
  d[Symbol.dispose]();
  d.free();
  assert.match(thrown(() => d.report()).message, /freed/);
});

const HEADER = 'id,opened_at,channel,stage\n';
const GOOD = 'i-new1,2026-05-05T10:00:00+03:00,chat,service\ni-new2,2026-05-05T11:00:00+03:00,chat,service\n';

test('a strict readCsv that throws adds nothing; the fixed file then reads', () => {
  const d = new mg.Diary(small);
  try {
    const before = JSON.stringify(d.toJSON());
    const report = d.report();
    const e = thrown(() => d.readCsv(`${HEADER}${GOOD}i-new3,yesterday,chat,service\n`, 'more.csv'));
    assert.deepEqual([e.location.file, e.location.line, e.location.record, e.location.field], ['more.csv', 4, 'i-new3', 'opened_at']);
    assert.equal(JSON.stringify(d.toJSON()), before, 'the rows before the bad one are not kept');
    assert.deepStrictEqual(d.report(), report);
    // The corrected file: no duplicate error for the rows that came first.
    assert.equal(d.readCsv(`${HEADER}${GOOD}i-new3,2026-05-05T12:00:00+03:00,chat,service\n`, 'more.csv'), 'interactions');
    assert.equal(d.toJSON().interactions.length, JSON.parse(before).interactions.length + 3);
    // A duplicate within a failing file goes with it too.
    const dup = thrown(() => d.readCsv(`${HEADER}i-new4,2026-05-06T10:00:00+03:00,chat,service\ni-new1,2026-05-06T10:00:00+03:00,chat,service\n`));
    assert.equal(dup.kind, 'duplicate');
    d.readCsv(`${HEADER}i-new4,2026-05-06T10:00:00+03:00,chat,service\n`);
  } finally {
    d.free();
  }
});

test('a strict readJsonl that throws adds nothing; lenient keeps the good records', () => {
  const record = (id, opened) => JSON.stringify({ type: 'interaction', id, opened_at: opened, channel: 'chat', stage: 'service' });
  const lines = [record('j1', '2026-05-05T10:00:00+03:00'), record('j2', '2026-05-05T11:00:00+03:00')];
  const d = new mg.Diary(small);
  try {
    const n = d.counts.interactions;
    const e = thrown(() => d.readJsonl([...lines, '{"type": "gossip"}'].join('\n'), 'r.jsonl'));
    assert.equal(e.location.line, 3);
    assert.equal(d.counts.interactions, n);
    d.readJsonl(lines.join('\n'), 'r.jsonl');
    assert.equal(d.counts.interactions, n + 2);
  } finally {
    d.free();
  }
  const lenient = new mg.Diary(small, { mode: 'lenient' });
  try {
    const n = lenient.counts.interactions;
    lenient.readJsonl([...lines, '{"type": "gossip"}'].join('\n'), 'r.jsonl');
    assert.equal(lenient.counts.interactions, n + 2);
    assert.equal(lenient.validation().errors.length, 1);
  } finally {
    lenient.free();
  }
});
