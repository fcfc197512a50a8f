// The notifications page: newest first, live, read state shared with the user's other tabs.
import { session, ready, notifications, describe, localTimes } from './app.js';

const list = document.querySelector('[data-notifications]');
const empty = document.querySelector('[data-empty]');
const more = document.querySelector('[data-more]');
const unreadOnly = new URLSearchParams(location.search).get('unread') === 'true';
let cursor = null;

function item(n) {
  const li = document.createElement('li');
  li.dataset.notificationId = n.id;
  li.classList.toggle('unread', !n.read);
  const text = document.createElement('div');
  const link = Object.assign(document.createElement('a'), { href: n.link, textContent: describe(n) });
  text.append(link);
  if (n.excerpt) {
    const excerpt = document.createElement('p');
    excerpt.className = 'excerpt';
    excerpt.textContent = n.excerpt;
    text.append(excerpt);
  }
  const when = document.createElement('time');
  when.dateTime = n.updatedAt ?? n.createdAt;
  when.textContent = when.dateTime;
  const meta = document.createElement('p');
  meta.className = 'meta';
  meta.append(when);
  text.append(meta);
  li.append(text);
  if (!n.read) {
    const read = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Mark read' });
    read.dataset.read = '';
    li.append(read);
  }
  link.addEventListener('click', () => { if (!n.read) markRead(n.id); });
  localTimes(li);
  return li;
}

function markedRead(ids, all) {
  for (const li of list.querySelectorAll('li')) {
    if (all || ids.includes(Number(li.dataset.notificationId))) {
      li.classList.remove('unread');
      li.querySelector('[data-read]')?.remove();
      if (unreadOnly) li.remove();
    }
  }
  empty.hidden = list.children.length > 0;
}

async function markRead(id) {
  await session.api(`/api/notifications/${id}/read`, { method: 'POST' });
  markedRead([id], false);
}

async function load() {
  const query = new URLSearchParams({ limit: '20' });
  if (unreadOnly) query.set('unread', 'true');
  if (cursor) query.set('cursor', cursor);
  const page = await session.api(`/api/notifications?${query}`);
  list.append(...page.items.map(item));
  cursor = page.nextCursor;
  more.hidden = !cursor;
  empty.hidden = list.children.length > 0;
}

list.addEventListener('click', e => {
  const li = e.target.closest('[data-read]')?.closest('li');
  if (li) markRead(Number(li.dataset.notificationId));
});
more.addEventListener('click', load);
document.querySelector('[data-read-all]').addEventListener('click', async () => {
  await session.api('/api/notifications/read-all', { method: 'POST' });
  markedRead([], true);
});
for (const a of document.querySelectorAll('[data-filter]')) {
  if ((a.dataset.filter === 'unread') === unreadOnly) a.setAttribute('aria-current', 'page');
}
notifications.addEventListener('created', e => {
  list.querySelector(`[data-notification-id="${e.detail.notification.id}"]`)?.remove();
  list.prepend(item(e.detail.notification));
  empty.hidden = true;
});
notifications.addEventListener('read', e => markedRead(e.detail.ids ?? [], e.detail.all));

ready.then(user => { if (user) load(); });
