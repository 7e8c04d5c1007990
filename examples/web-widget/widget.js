// The diary widget: mindgap in the browser, no framework, no server work.
// Everything on the page comes from one call, `diary.report({by: ["week"]})`,
// made again whenever the diary changes. The page loads the package's small
// report build (`mindgap/report`); the full build (`mindgap/web`: trends,
// follow-ups, CSV import) is fetched only when one of those is opened.
import init, { Diary, sampleDiary, version } from '../../bindings/wasm/pkg/report/web/mindgap.js';

// The full build, loaded and started once, the first time it is needed.
let fullBuild = null;
function full() {
  fullBuild ??= import('../../bindings/wasm/pkg/web/mindgap.js').then(async (m) => {
    await m.default();
    return m;
  });
  return fullBuild;
}

// Runs `fn` on a full-build copy of the diary shown, freed afterwards.
async function withFull(fn) {
  const m = await full();
  const copy = new m.Diary(diary.toJSON());
  try {
    return fn(copy, m);
  } finally {
    copy.free();
  }
}

const $ = (sel) => document.querySelector(sel);
const esc = (s) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const val = (fig) => (fig && typeof fig === 'object' && 'absent' in fig ? null : fig);
const pct = (x, digits = 0) => (x == null ? '—' : `${(x * 100).toFixed(digits)}%`);

let diary = null; // the mindgap Diary being shown
let fromSample = false;
let added = 0;

function showError(title, e) {
  const box = $('#error');
  const code = e && typeof e.code === 'number' ? ` (error ${e.code}, ${e.kind})` : '';
  box.innerHTML = `<strong>${esc(title)}</strong>${esc(e?.message ?? String(e))}${esc(code)}`;
  box.hidden = false;
}
function clearError() {
  $('#error').hidden = true;
}

function setDiary(next, sample) {
  if (diary) diary.free();
  diary = next;
  fromSample = sample;
  render();
}

async function loadFile(file) {
  const name = file.name;
  const bytes = new Uint8Array(await file.arrayBuffer());
  let next;
  try {
    if (/\.json$/i.test(name)) {
      next = new Diary(bytes, { name });
    } else if (/\.(csv|tsv|txt|jsonl|ndjson)$/i.test(name)) {
      // Records are read against the current diary's stages and
      // expectations (the sample's replaces its own records).
      const base = diary ? diary.toJSON() : sampleDiary(0);
      if (!diary || fromSample) Object.assign(base, { interactions: [], feedback: [], observations: [] });
      if (/\.(jsonl|ndjson)$/i.test(name)) {
        next = new Diary(base);
        next.readJsonl(bytes, name);
      } else {
        // CSV import (column mapping, import profiles) is in the full build:
        // read there, then shown by the report build.
        const m = await full();
        const reader = new m.Diary(base);
        try {
          reader.readCsv(bytes, name);
          next = new Diary(reader.toJSON());
        } finally {
          reader.free();
        }
      }
    } else {
      throw new Error(`${name}: cannot tell what this is; open a diary .json, or a .csv or .jsonl of records`);
    }
    next.report(); // a diary that cannot be reported on is an error here, not a blank page
  } catch (e) {
    next?.free();
    showError(`Could not read ${name}`, e);
    return;
  }
  clearError();
  setDiary(next, false);
}

// ---------------------------------------------------------------------------
// Rendering

function render() {
  const report = diary.report({ by: ['week'] });
  const counts = diary.counts;
  const byId = new Map(report.expectations.map((e) => [e.id, e]));
  $('#subtitle').textContent = `${report.diary} · ${report.timezone} · as of ${fmtDate(report.as_of)}`;
  // The charts are drawn by the core (the same SVG as `mindgap report
  // --format html`); the page only places them.
  const charts = diary.charts({ by: ['week'] });
  renderCards(report, counts);
  renderTable(report, byId, charts);
  $('#zone-chart').innerHTML = charts.zones;
  $('#weekly-chart').innerHTML = charts.weekly || '<p class="muted">Not enough weeks yet.</p>';
  $('#focus-list').innerHTML = charts.focus;
  renderOptional().catch((e) => showError('Could not load the full build', e));
  fillForm(report);
  $('#footer').textContent = `mindgap ${version()} · WebAssembly · ${counts.interactions} interactions, ${counts.feedback} feedback records`;
  $('#loading').hidden = true;
  $('#content').hidden = false;
  document.body.dataset.ready = String(Number(document.body.dataset.ready ?? 0) + 1);
}

function fmtDate(ts) {
  const d = new Date(ts);
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}

function pooled(report) {
  let k = 0, n = 0;
  for (const s of report.stages) {
    const m = val(s.gap.missed);
    if (m) { k += m.k; n += m.n; }
  }
  return { k, n, share: n ? k / n : null };
}

function renderCards(report, counts) {
  const missed = pooled(report);
  const nps = val(report.feedback.nps);
  const csat = val(report.feedback.csat);
  const card = (id, label, value, note, cls = '') =>
    `<div class="card ${cls}" id="${id}"><div class="label">${label}</div><div class="value">${value}</div><div class="note">${note}</div></div>`;
  $('#cards').innerHTML =
    card('card-interactions', 'Interactions', counts.interactions.toLocaleString('en'), `${counts.feedback.toLocaleString('en')} feedback records`) +
    card('card-missed', 'Targets missed', pct(missed.share, 1), `${missed.k} of ${missed.n} observations`) +
    card('card-nps', 'NPS', nps ? Math.round(nps.nps) : '—', nps ? `${Math.round(nps.lower)} to ${Math.round(nps.upper)} · ${nps.n} answers` : esc(report.feedback.nps.absent)) +
    card('card-csat', 'CSAT', csat ? pct(csat.share) : '—', csat ? `${pct(csat.lower)}–${pct(csat.upper)} · ${csat.n} answers` : esc(report.feedback.csat.absent));
  $('#card-missed').dataset.k = missed.k;
  $('#card-missed').dataset.n = missed.n;
}

function shareBar(gap, bar) {
  if (!val(gap.missed)) return `<span class="barlabel">${esc(gap.missed.absent)}</span>`;
  return `<div class="bar">${bar}</div>` +
    `<div class="barlabel">${gap.n} observed${gap.pending ? ` · ${gap.pending} pending` : ''}</div>`;
}

function pill(share) {
  if (share == null) return '—';
  const cls = share >= 0.25 ? 'bad' : share >= 0.1 ? 'mid' : 'good';
  return `<span class="pill ${cls}">${pct(share)}</span>`;
}

function renderTable(report, byId, charts) {
  $('#diary-table tbody').innerHTML = report.stages
    .map((s, i) => {
      const m = val(s.gap.missed);
      const zone = val(s.index.zone);
      const exps = s.expectations
        .map((id) => byId.get(id))
        .filter(Boolean)
        .map((e) => `<div>${esc(e.description || e.id)} <span class="muted">— ${esc(e.actual)}</span></div>`)
        .join('');
      return `<tr data-stage="${esc(s.id)}" data-n="${s.gap.n}" data-missed="${m ? m.k : ''}">` +
        `<td class="stage">${esc(s.name)}</td><td class="exp">${exps || '<span class="muted">no expectations</span>'}</td>` +
        `<td>${shareBar(s.gap, charts.stage_bars[i])}</td><td class="num">${pill(m?.share)}${m ? `<div class="barlabel">${m.k} of ${m.n}</div>` : ''}</td>` +
        `<td class="num">${zone == null ? '—' : zone.toFixed(2)}</td><td class="remark">${esc(s.remark)}</td></tr>`;
    })
    .join('');
}

// The follow-up list and the trends, from the full build, once opened
// (`<details>`): overdue follow-ups first, then open, each with its due time.
async function renderOptional() {
  const followups = $('#followups');
  const trends = $('#trends');
  if (!followups.open && !trends.open) return;
  await withFull((d) => {
    if (followups.open) {
      const list = d.run('follow_ups', { show: 'open' });
      const s = list.summary;
      $('#followup-summary').textContent =
        `${s.overdue} overdue · ${s.open} open · ${s.closed} closed (${s.closed_late} late)`;
      $('#followup-list').innerHTML = list.follow_ups
        .slice(0, 12)
        .map((f) => {
          const said = f.triggers.map((t) => `${t.rule} ${t.detail}`).join(', ');
          const due = f.due ? `due ${fmtTime(f.due)}` : 'no due time';
          const who = [f.customer, f.employee && `employee ${f.employee}`].filter(Boolean).join(' · ');
          return `<li class="${f.state}"><span class="state">${f.state}</span> <strong>${esc(f.stage)}</strong> ${esc(said)}` +
            `<div class="muted">${esc(who)} · ${esc(due)} · open for ${esc(f.age_text)}${f.repeats ? ` · repeat ×${f.repeats}` : ''}</div>` +
            (f.comment ? `<div class="quote">“${esc(f.comment)}”</div>` : '') + '</li>';
        })
        .join('') || '<li class="muted">No open follow-ups.</li>';
    }
    if (trends.open) {
      const series = d.run('trend', {}).series.filter((s) => s.points.length > 1);
      $('#trend-list').innerHTML = series
        .slice(0, 8)
        .map((s) => `<div class="trend">${esc(s.name || s.group)} ${sparkline(s.points.map((p) => val(p.value)))}</div>`)
        .join('') || '<p class="muted">Not enough periods for a trend.</p>';
    }
  });
  document.body.dataset.full = String(Number(document.body.dataset.full ?? 0) + 1);
}

function fmtTime(t) {
  return t.slice(0, 16).replace('T', ' ');
}

function sparkline(values) {
  const v = values.filter((x) => typeof x === 'number');
  if (v.length < 2) return '';
  const min = Math.min(...v), max = Math.max(...v), W = 120, H = 24;
  const pts = v.map((x, i) => `${(i / (v.length - 1)) * W},${H - 2 - ((x - min) / (max - min || 1)) * (H - 4)}`).join(' ');
  return `<svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><polyline points="${pts}" fill="none" stroke="#2952cc" stroke-width="1.5"/></svg>`;
}

// ---------------------------------------------------------------------------
// The form

function localInput(date) {
  const d = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return d.toISOString().slice(0, 16);
}

function fillForm(report) {
  const form = $('#add-form');
  const select = form.elements.stage;
  const current = select.value;
  select.innerHTML = report.stages.map((s) => `<option value="${esc(s.id)}">${esc(s.name)}</option>`).join('');
  if (current) select.value = current;
  if (!form.elements.opened.value) {
    form.elements.opened.value = localInput(new Date(new Date(report.as_of).getTime() - 2 * 86400000));
  }
}

$('#add-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const f = ev.target.elements;
  const status = $('#form-status');
  const opened = new Date(f.opened.value);
  const hours = (h) => new Date(opened.getTime() + Number(h) * 3600000);
  const record = {
    id: `web-${++added}-${opened.getTime().toString(36)}`,
    opened_at: opened,
    channel: f.channel.value,
    stage: f.stage.value,
  };
  if (f.reply.value !== '') record.first_response_at = hours(f.reply.value);
  if (f.resolve.value !== '') record.resolved_at = hours(f.resolve.value);
  try {
    if (Number.isNaN(opened.getTime())) throw new Error('Opened: enter a date and time');
    diary.addInteraction(record);
  } catch (e) {
    status.textContent = e.message;
    status.className = 'bad';
    return;
  }
  status.className = 'muted';
  status.textContent = `Added ${record.id}.`;
  render();
});

// ---------------------------------------------------------------------------
// Start

for (const id of ['#followups', '#trends']) {
  $(id).addEventListener('toggle', () => {
    if ($(id).open) renderOptional().catch((e) => showError('Could not load the full build', e));
  });
}
$('#load-sample').addEventListener('click', () => {
  clearError();
  setDiary(Diary.sample(300), true);
});
$('#file-input').addEventListener('change', (ev) => {
  const file = ev.target.files[0];
  if (file) loadFile(file);
  ev.target.value = '';
});
const drop = $('#drop-zone');
for (const type of ['dragenter', 'dragover']) drop.addEventListener(type, (ev) => { ev.preventDefault(); drop.classList.add('over'); });
for (const type of ['dragleave', 'drop']) drop.addEventListener(type, () => drop.classList.remove('over'));
drop.addEventListener('drop', (ev) => {
  ev.preventDefault();
  const file = ev.dataTransfer.files[0];
  if (file) loadFile(file);
});

try {
  await init();
  setDiary(Diary.sample(300), true);
} catch (e) {
  $('#loading').hidden = true;
  showError('mindgap could not start', e);
}
