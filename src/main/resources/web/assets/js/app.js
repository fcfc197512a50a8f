// What every page shares: the signed-in user, the live connection, the account menu with its
// notification badge, toasts, and times shown in the reader's own time zone.
import { session } from './session.js';
import { Bridge } from './bridge.js';
import './suggest.js';

export { session };

const bridgeUrls = (document.querySelector('meta[name="lf-bridge"]')?.content ?? '').split(' ').filter(Boolean);

/** The page's one connection to the realtime bridge (null when the page names no bridge). */
export const bridge = bridgeUrls.length && typeof SockJS !== 'undefined'
  ? new Bridge(bridgeUrls, { token: () => session.token(), onState: showConnection })
  : null;

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Rewrites every <time datetime> under root in the reader's time zone; the UTC text stays as its title. */
export function localTimes(root = document) {
  for (const t of root.querySelectorAll('time[datetime]')) {
    const when = new Date(t.dateTime);
    if (!Number.isNaN(when.getTime())) {
      t.title = t.title || t.textContent;
      t.textContent = timeFormat.format(when);
    }
  }
}

/** A short message in the corner, read out politely by screen readers; gone after a few seconds. */
export function toast(text, href) {
  const box = document.querySelector('[data-toasts]');
  if (!box) return;
  const item = document.createElement(href ? 'a' : 'div');
  item.className = 'toast';
  item.textContent = text;
  if (href) item.href = href;
  box.append(item);
  setTimeout(() => item.remove(), 6000);
}

/** Shows elements marked data-signed-in to users and data-guest to guests. */
export function showFor(user, root = document) {
  for (const el of root.querySelectorAll('[data-signed-in]')) el.hidden = !user;
  for (const el of root.querySelectorAll('[data-guest]')) el.hidden = !!user;
}

/** Clears a form's field errors, then shows the server's: each next to the field it names. */
export function showProblem(form, error) {
  for (const slot of form.querySelectorAll('[data-error]')) slot.textContent = '';
  const detail = error?.problem?.detail ?? error?.message ?? 'Something went wrong; try again.';
  const fields = [...form.querySelectorAll('[data-error]')].map(el => el.dataset.error).filter(f => f !== 'form');
  let placed = false;
  for (const field of fields) {
    // Problem details name fields as "username: …" or say "username '…' is already taken".
    if (new RegExp(`(^|[\\s;:])${field}\\b`, 'i').test(detail)) {
      form.querySelector(`[data-error="${field}"]`).textContent = detail;
      form.querySelector(`[name="${field}"]`)?.setAttribute('aria-invalid', 'true');
      placed = true;
      break;
    }
  }
  if (!placed) form.querySelector('[data-error="form"]').textContent = detail;
}

/** A form's fields as an object, empty ones left out. */
export function fields(form) {
  const out = {};
  for (const [name, value] of new FormData(form)) {
    if (typeof value === 'string' && value !== '') out[name] = value;
  }
  return out;
}

function showConnection(state) {
  document.documentElement.dataset.live = state;
}

// The account menu: sign-in links for guests; for users their name, the notification badge, New post,
// Settings, Admin (admins) and Sign out.
const account = document.querySelector('[data-account]');
const guestMenu = account?.innerHTML;
let badgeCount = 0;

function renderAccount(user) {
  if (!account) return;
  if (!user) {
    account.innerHTML = guestMenu;
    return;
  }
  account.replaceChildren();
  const link = (href, text) => Object.assign(document.createElement('a'), { href, textContent: text });
  account.append(link('/new', 'New post'));
  const bell = link('/notifications', 'Notifications');
  bell.dataset.bell = '';
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.dataset.badge = '';
  badge.hidden = true;
  bell.append(badge);
  account.append(bell);
  if (user.role === 'admin') account.append(link('/admin', 'Admin'));
  account.append(link('/settings', 'Settings'));
  const me = link(`/users/${user.id}`, user.username);
  me.className = 'me';
  account.append(me);
  const out = document.createElement('button');
  out.type = 'button';
  out.textContent = 'Sign out';
  out.addEventListener('click', async () => {
    await session.signOut();
    location.assign('/');
  });
  account.append(out);
  setBadge(badgeCount);
}

/** The unread count in the menu, announced in the link's name for screen readers. */
export function setBadge(count) {
  badgeCount = count;
  const badge = document.querySelector('[data-badge]');
  if (!badge) return;
  badge.textContent = count > 99 ? '99+' : String(count);
  badge.hidden = count === 0;
  document.querySelector('[data-bell]')?.setAttribute('aria-label', count ? `Notifications, ${count} unread` : 'Notifications');
}

/** Other modules hear of the user's notifications through this: 'created' and 'read' events. */
export const notifications = new EventTarget();
let watchedUser = null;

async function followUser(user) {
  if (watchedUser && bridge) bridge.unwatch(`user.${watchedUser}`);
  watchedUser = user?.id ?? null;
  if (!user) return;
  // The count comes with the channel's seq read with it: watching from there, a notification made
  // between this read and the subscription is caught up rather than lost.
  let seq = null;
  try {
    const answer = await session.api('/api/notifications/unread-count');
    setBadge(answer.count);
    seq = answer.seq ?? null;
  } catch { /* the badge stays as it was; the next event sets it */ }
  bridge?.watch(`user.${user.id}`, seq, {
    event(ev) {
      if (ev.type === 'notification.created') {
        setBadge(ev.data.unread);
        toast(describe(ev.data.notification), ev.data.notification.link);
      } else if (ev.type === 'notification.read') {
        setBadge(ev.data.unread);
      }
      notifications.dispatchEvent(new CustomEvent(ev.type.replace('notification.', ''), { detail: ev.data }));
    },
    live() {},
    reset() { followUser(user); },
    error() {},
  });
}

/** "bob replied to you in “Title”" — one line of text for a notification. */
export function describe(n) {
  const who = n.actor?.username ?? 'Someone';
  const more = n.others ? ` and ${n.others} ${n.others === 1 ? 'other' : 'others'}` : '';
  const where = `“${n.postTitle ?? 'a post'}”`;
  switch (n.type) {
    case 'comment': return `${who}${more} commented on ${where}`;
    case 'reply': return `${who}${more} replied to you in ${where}`;
    case 'like': return `${who}${more} liked your ${n.targetType === 'comment' ? 'comment' : 'post'} ${where}`;
    case 'mention': return `${who}${more} mentioned you in ${where}`;
    default: return `${who}${more}: ${where}`;
  }
}

function apply(user) {
  renderAccount(user);
  showFor(user);
  followUser(user);
}

localTimes();
/** Resolves to the signed-in user (or null) once the session is known. */
export const ready = session.restore().catch(() => null).then(user => {
  apply(user);
  session.onChange(changed => {
    apply(changed);
    bridge?.reauthenticate();
  });
  return user;
});
