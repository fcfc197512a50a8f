// Administration: boards, daily statistics (a chart, with today's figures live) and dead notification jobs.
import { session, ready, bridge, showProblem, fields } from './app.js';

const FIGURES = ['users', 'posts', 'comments', 'likes', 'views', 'activeUsers'];
const LABELS = { users: 'Users', posts: 'Posts', comments: 'Comments', likes: 'Likes', views: 'Views', activeUsers: 'Active' };
const COLOURS = ['#2457c5', '#1e7b34', '#b3261e', '#f0a500', '#7b3fc5', '#00838f'];
let days = [];
let chart = null;

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = Object.assign(document.createElement('script'), { src });
    s.addEventListener('load', resolve);
    s.addEventListener('error', reject);
    document.head.append(s);
  });
}

function showToday(today) {
  const dl = document.querySelector('[data-today]');
  dl.replaceChildren();
  for (const f of FIGURES) {
    const div = document.createElement('div');
    div.append(Object.assign(document.createElement('dt'), { textContent: LABELS[f] }),
      Object.assign(document.createElement('dd'), { textContent: String(today[f] ?? 0) }));
    dl.append(div);
  }
}

function showTable() {
  const body = document.querySelector('[data-figures] tbody');
  body.replaceChildren(...days.slice().reverse().map(d => {
    const tr = document.createElement('tr');
    tr.append(Object.assign(document.createElement('td'), { textContent: d.day }),
      ...FIGURES.map(f => Object.assign(document.createElement('td'), { textContent: String(d[f]) })));
    return tr;
  }));
}

function chartData() {
  return [days.map(d => Date.parse(`${d.day}T00:00:00Z`) / 1000), ...FIGURES.map(f => days.map(d => d[f]))];
}

function drawChart() {
  const box = document.querySelector('[data-chart]');
  const opts = {
    width: Math.max(280, box.clientWidth),
    height: 280,
    series: [{}, ...FIGURES.map((f, i) => ({ label: LABELS[f], stroke: COLOURS[i], width: 2 }))],
    axes: [{ stroke: 'currentColor' }, { stroke: 'currentColor' }],
  };
  chart = new window.uPlot(opts, chartData(), box);
}

async function stats() {
  const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: '/assets/vendor/uPlot.min.css' });
  document.head.append(link);
  const [daily] = await Promise.all([session.api('/api/stats/daily'), loadScript('/assets/vendor/uPlot.iife.min.js')]);
  days = daily.days;
  showToday(days[days.length - 1] ?? {});
  showTable();
  drawChart();
  bridge?.watch('stats', null, {
    event() {},
    live(ev) {
      const today = ev.data;
      showToday(today);
      const last = days[days.length - 1];
      if (last && last.day === today.day) Object.assign(last, today);
      else days.push(today);
      showTable();
      chart?.setData(chartData());
    },
    reset() {},
    error() {},
  });
}

async function boards() {
  const list = document.querySelector('[data-boards]');
  const { items } = await session.api('/api/boards');
  list.replaceChildren(...items.map(b => {
    const li = document.createElement('li');
    const form = document.createElement('form');
    form.className = 'form inline';
    form.innerHTML = `<label for="board-${b.id}-name">Name</label><input id="board-${b.id}-name" name="name" required maxlength="100">
      <label for="board-${b.id}-description">Description</label><input id="board-${b.id}-description" name="description" maxlength="500">
      <p class="field-error" data-error="form" role="alert"></p>
      <p><button type="submit" class="button">Save</button> <button type="button" data-delete>Delete</button></p>`;
    form.elements.name.value = b.name;
    form.elements.description.value = b.description;
    form.addEventListener('submit', async e => {
      e.preventDefault();
      try {
        await session.api(`/api/boards/${b.id}`, { method: 'PATCH', body: fields(form) });
        await boards();
      } catch (err) { showProblem(form, err); }
    });
    form.querySelector('[data-delete]').addEventListener('click', async () => {
      if (!confirm(`Delete the board “${b.name}”?`)) return;
      try {
        await session.api(`/api/boards/${b.id}`, { method: 'DELETE' });
        await boards();
      } catch (err) { showProblem(form, err); }
    });
    li.append(form);
    return li;
  }));
}

async function jobs() {
  const { items } = await session.api('/api/admin/notification-jobs/dead');
  const list = document.querySelector('[data-jobs]');
  list.replaceChildren(...items.map(job => {
    const li = document.createElement('li');
    const what = Object.assign(document.createElement('p'), {
      textContent: `${job.type} (event ${job.eventId}): ${job.attempts} attempts, last failed ${job.failedAt}`,
    });
    const why = Object.assign(document.createElement('p'), { className: 'field-error', textContent: job.error || 'no error recorded' });
    const data = Object.assign(document.createElement('pre'), { textContent: JSON.stringify(job.data, null, 2) });
    li.append(what, why, data);
    return li;
  }));
  document.querySelector('[data-jobs-empty]').hidden = items.length > 0;
}

const create = document.querySelector('[data-board-form]');
create.addEventListener('submit', async e => {
  e.preventDefault();
  try {
    await session.api('/api/boards', { method: 'POST', body: { description: '', ...fields(create) } });
    create.reset();
    await boards();
  } catch (err) { showProblem(create, err); }
});

ready.then(user => {
  const admin = user?.role === 'admin';
  document.querySelector('[data-admin]').hidden = !admin;
  document.querySelector('[data-not-admin]').hidden = !user || admin;
  if (admin) {
    stats().catch(() => {});
    boards().catch(() => {});
    jobs().catch(() => {});
  }
});
