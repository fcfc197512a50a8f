// Home and board pages: new posts are counted as they are written and shown when the reader asks,
// so nothing moves under the reader meanwhile.
import { bridge } from './app.js';

const list = document.querySelector('[data-post-list]');
const box = document.querySelector('[data-new-posts]');
const button = box?.querySelector('button');
const waiting = new Map();

function offer() {
  box.hidden = waiting.size === 0;
  button.textContent = `Show ${waiting.size} new ${waiting.size === 1 ? 'post' : 'posts'}`;
}

function item(p) {
  const li = document.createElement('li');
  li.className = 'post-item fresh';
  li.dataset.postId = p.id;
  const h = document.createElement('h3');
  h.className = 'post-title';
  const a = Object.assign(document.createElement('a'), { href: `/posts/${p.id}`, textContent: p.title });
  h.append(a);
  const meta = document.createElement('p');
  meta.className = 'meta';
  const by = Object.assign(document.createElement('a'), { href: `/users/${p.authorId}`, textContent: p.authorName });
  meta.append('by ', by);
  li.append(h, meta);
  return li;
}

button?.addEventListener('click', () => {
  const added = [...waiting.values()].sort((a, b) => b.id - a.id).map(item);
  list.prepend(...added);
  waiting.clear();
  offer();
  added[0]?.querySelector('a').focus();
});

for (const spec of (list?.dataset.channels ?? '').split(' ').filter(Boolean)) {
  const [channel, seq] = spec.split(':');
  bridge?.watch(channel, seq ? Number(seq) : null, {
    event(ev) {
      if (ev.type === 'post.created' && !list.querySelector(`[data-post-id="${ev.data.id}"]`)) {
        waiting.set(ev.data.id, ev.data);
      } else if (ev.type === 'post.deleted') {
        waiting.delete(ev.data.id);
        list.querySelector(`[data-post-id="${ev.data.id}"]`)?.remove();
      }
      offer();
    },
    live() {},
    reset() {},
    error() {},
  });
}
