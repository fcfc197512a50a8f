// Writing and editing a post: a preview from the server's own Markdown pipeline (what will be
// stored), and images picked or dropped, uploaded with progress once the post exists.
import { session, showProblem, fields } from './app.js';

const form = document.querySelector('[data-compose-form]');
const editing = form.dataset.postId ? Number(form.dataset.postId) : null;
const preview = form.querySelector('[data-preview]');
const write = form.querySelector('#compose-write');
const uploads = form.querySelector('[data-uploads]');
const drop = form.querySelector('[data-drop]');
const queued = [];

async function showTab(name) {
  for (const tab of form.querySelectorAll('[data-tab]')) tab.setAttribute('aria-selected', String(tab.dataset.tab === name));
  write.hidden = name !== 'write';
  preview.hidden = name !== 'preview';
  if (name === 'preview') {
    const content = form.querySelector('[name="content"]').value;
    preview.textContent = 'Rendering…';
    try {
      const { html } = await session.api('/api/preview', { method: 'POST', body: { content: content || ' ' } });
      preview.innerHTML = html; // sanitized by the server, exactly as it will be stored
    } catch (err) {
      preview.textContent = err.problem?.detail ?? 'The preview could not be made.';
    }
  }
}

for (const tab of form.querySelectorAll('[data-tab]')) tab.addEventListener('click', () => showTab(tab.dataset.tab));

/** One line per image: its name and a progress bar. */
function row(file) {
  const li = document.createElement('li');
  const bar = Object.assign(document.createElement('progress'), { max: 100, value: 0 });
  bar.setAttribute('aria-label', `Uploading ${file.name}`);
  const state = document.createElement('span');
  state.textContent = editing ? '' : ' waits for the post to be published';
  li.append(`${file.name} `, bar, state);
  uploads.append(li);
  return { file, bar, state };
}

/** Uploads one image with progress (fetch cannot report upload progress; XMLHttpRequest can). */
async function upload(postId, item) {
  const token = await session.token();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/posts/${postId}/images`);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Idempotency-Key', session.newKey());
    xhr.upload.addEventListener('progress', e => { if (e.lengthComputable) item.bar.value = Math.round(100 * e.loaded / e.total); });
    xhr.addEventListener('load', () => {
      if (xhr.status === 201) {
        item.bar.value = 100;
        item.state.textContent = ' uploaded';
        resolve();
      } else {
        let detail = `failed (${xhr.status})`;
        try { detail = JSON.parse(xhr.responseText).detail; } catch { /* not a problem body */ }
        item.state.textContent = ` ${detail}`;
        reject(new Error(detail));
      }
    });
    xhr.addEventListener('error', () => { item.state.textContent = ' failed: the connection dropped'; reject(new Error('network')); });
    const body = new FormData();
    body.append('file', item.file);
    xhr.send(body);
  });
}

function add(files) {
  for (const file of files) {
    const item = row(file);
    if (editing) upload(editing, item).catch(() => {});
    else queued.push(item);
  }
}

form.querySelector('[data-image-input]').addEventListener('change', e => add(e.target.files));
drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', e => {
  e.preventDefault();
  drop.classList.remove('over');
  add([...e.dataTransfer.files].filter(f => f.type.startsWith('image/')));
});

form.addEventListener('submit', async e => {
  e.preventDefault();
  const { boardId, title = '', content = '' } = fields(form);
  const submit = form.querySelector('button[type="submit"]');
  submit.disabled = true;
  try {
    const post = editing
      ? await session.api(`/api/posts/${editing}`, { method: 'PATCH', body: { title, content } })
      : await session.api('/api/posts', { method: 'POST', body: { boardId: Number(boardId), title, content } });
    const failed = (await Promise.allSettled(queued.map(item => upload(post.id, item)))).some(r => r.status === 'rejected');
    if (!failed) location.assign(`/posts/${post.id}`);
    else form.querySelector('[data-error="form"]').textContent = 'The post was saved, but some images were not: see above.';
  } catch (err) {
    showTab('write');
    showProblem(form, err);
  } finally {
    submit.disabled = false;
  }
});
