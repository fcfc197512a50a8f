// A post's page, live: new comments in their place, edits, deletions, likes, readers and typing,
// from the seq the page was rendered at; and the signed-in reader's own comments, replies and likes.
import { bridge, session, ready, localTimes, showFor, showProblem, toast } from './app.js';

const article = document.querySelector('[data-post]');
const postId = Number(article.dataset.postId);
const thread = document.querySelector('[data-comments]');
const template = document.getElementById('comment-template');
const announce = document.querySelector('[data-announce]');
const typingLine = document.querySelector('[data-typing]');
let me = null;

const commentEl = id => thread.querySelector(`[data-comment-id="${id}"]`);
const setText = (el, text) => { if (el) el.textContent = String(text); };

/** A comment as the API or an event gives it, in the page's markup (from the page's own template). */
function build(c) {
  const li = template.content.firstElementChild.cloneNode(true);
  const id = c.id ?? c.commentId;
  const authorId = c.author?.id ?? c.authorId;
  li.id = `comment-${id}`;
  li.dataset.commentId = id;
  li.dataset.authorId = authorId;
  const author = li.querySelector('.author');
  author.href = `/users/${authorId}`;
  author.textContent = c.author?.username ?? c.authorName;
  li.querySelector('.when').href = `#comment-${id}`;
  li.querySelector('time').dateTime = c.createdAt;
  li.querySelector('time').textContent = c.createdAt;
  li.querySelector('[data-content]').innerHTML = c.contentHtml; // sanitized by the server's Markdown pipeline
  setText(li.querySelector('[data-like-count]'), c.likeCount ?? 0);
  if (c.likedByMe) li.querySelector('[data-like]').setAttribute('aria-pressed', 'true');
  if (c.replyTo) {
    // A reply past the depth limit stands beside the comment it answers, and names it.
    const to = li.querySelector('[data-reply-to]');
    to.href = `#comment-${c.replyTo.id}`;
    to.textContent = `↪ ${c.replyTo.author?.username ?? 'deleted'}`;
    to.hidden = false;
  }
  li.classList.add('fresh');
  localTimes(li);
  personalise(li);
  if (c.deleted) markDeleted(li);
  return li;
}

/** A comment's list of replies (the server leaves it out while there are none), above its "more" link. */
function replies(li) {
  let list = li.querySelector(':scope > .replies');
  if (!list) {
    list = Object.assign(document.createElement('ol'), { className: 'replies' });
    li.insertBefore(list, li.querySelector(':scope > .more-replies'));
  }
  return list;
}

/**
 * Puts a comment under its parent, among its siblings by age, once: a root at the end of the thread, a
 * reply only where its parent is on the page (a reply to a comment on another page of the thread
 * belongs there). Whatever order comments arrive in, the page reads as the server would render it.
 */
function place(c) {
  const id = Number(c.id ?? c.commentId);
  if (commentEl(id)) return false;
  const parent = c.parentId ? commentEl(c.parentId) : null;
  if (c.parentId && !parent) return false;
  const list = parent ? replies(parent) : thread;
  const younger = [...list.children].find(li => Number(li.dataset.commentId) > id);
  list.insertBefore(build(c), younger ?? null);
  return true;
}

/** The "Show n more replies" link of the root comment a reply belongs to, if its page holds only some. */
const moreLink = rootId => commentEl(rootId)?.querySelector(':scope > .more-replies [data-more-replies]');

function setMore(link, count) {
  link.dataset.count = count;
  link.textContent = `Show ${count} more ${count === 1 ? 'reply' : 'replies'}`;
}

/** Loads the next replies of a root through the API and puts each in its place. */
async function loadMore(link) {
  if (link.getAttribute('aria-busy') === 'true') return;
  link.setAttribute('aria-busy', 'true');
  const root = link.closest('[data-comment-id]').dataset.commentId;
  const query = new URLSearchParams({ limit: '50' });
  if (link.dataset.cursor) query.set('cursor', link.dataset.cursor);
  try {
    const page = await session.api(`/api/comments/${root}/replies?${query}`);
    for (const c of page.items) place(c);
    if (page.nextCursor && page.moreReplies > 0) {
      link.dataset.cursor = page.nextCursor;
      setMore(link, page.moreReplies);
    } else {
      link.parentElement.remove();
    }
    announce.textContent = `${page.items.length} more replies shown`;
  } catch (e) {
    toast(e.problem?.detail ?? 'The replies could not be loaded; try again.');
  } finally {
    link.removeAttribute('aria-busy');
  }
}

function markDeleted(which) {
  const li = typeof which === 'object' ? which : commentEl(which);
  if (!li) return;
  const body = li.querySelector(':scope > .comment-body');
  const note = document.createElement('p');
  note.className = 'deleted';
  note.textContent = 'This comment was deleted.';
  body.replaceChildren(note);
}

/** Shows an edit of the post (el: its article) or of a comment (el: its li, whose replies are left alone). */
function showEdit(el, html, editedAt) {
  const own = el.matches('[data-comment-id]') ? el.querySelector(':scope > .comment-body') : el;
  const content = own.querySelector('[data-content]') ?? own.querySelector('[data-post-content]');
  if (content) content.innerHTML = html; // sanitized by the server's Markdown pipeline
  if (!editedAt) return;
  let edited = own.querySelector('[data-edited]');
  if (!edited) {
    // The server marks only comments already edited.
    edited = Object.assign(document.createElement('span'), { className: 'edited', textContent: '(edited)' });
    edited.dataset.edited = '';
    own.querySelector('.meta')?.append(' ', edited);
  }
  edited.hidden = false;
}

function setLike(button, count, liked) {
  if (!button) return;
  if (liked !== undefined) button.setAttribute('aria-pressed', String(liked));
  const slot = button.querySelector('[data-like-count]');
  if (slot) setText(slot, count);
}

const handler = {
  event(ev) {
    const d = ev.data;
    switch (ev.type) {
      case 'comment.created':
        if (commentEl(d.commentId)) {
          // one's own, placed when it was answered
        } else if (d.rootId && moreLink(d.rootId)) {
          // Its root shows only its first replies: it is one more to show, after the ones not shown yet.
          const link = moreLink(d.rootId);
          setMore(link, Number(link.dataset.count) + 1);
        } else if (place(d)) {
          announce.textContent = `New comment by ${d.authorName}`;
        }
        setText(article.querySelector('[data-comment-count]'), d.commentCount);
        break;
      case 'comment.updated':
        if (commentEl(d.commentId)) showEdit(commentEl(d.commentId), d.contentHtml, d.editedAt);
        break;
      case 'comment.deleted':
        if (commentEl(d.commentId)) {
          markDeleted(d.commentId);
        } else if (d.rootId && moreLink(d.rootId)) {
          // One of the replies not shown yet: one fewer to show.
          const link = moreLink(d.rootId);
          const left = Number(link.dataset.count) - 1;
          if (left > 0) setMore(link, left);
          else link.parentElement.remove();
        }
        setText(article.querySelector('[data-comment-count]'), d.commentCount);
        break;
      case 'like.changed':
        if (d.targetType === 'post') {
          setText(article.querySelector('[data-like-count]'), d.likeCount);
          if (me && d.userId === me.id) article.querySelector('[data-like]').setAttribute('aria-pressed', String(d.liked));
        } else {
          const li = commentEl(d.targetId);
          setLike(li?.querySelector(':scope > .comment-body [data-like]'), d.likeCount,
            me && d.userId === me.id ? d.liked : undefined);
        }
        break;
      case 'post.updated':
        setText(article.querySelector('[data-post-title]'), d.title);
        showEdit(article, d.contentHtml, d.editedAt);
        notice('The author edited this post.');
        break;
      case 'post.deleted':
        notice('This post was deleted.');
        for (const f of document.querySelectorAll('form, button')) f.disabled = true;
        break;
    }
  },
  live(ev) {
    if (ev.type === 'presence') setText(article.querySelector('[data-presence]'), ev.data.viewers);
    if (ev.type === 'typing' && (!me || ev.data.userId !== me.id)) typing(ev.data.username);
  },
  // The missed events are gone: read the thread and its counts again, as the server renders them now.
  async reset() {
    const page = new DOMParser().parseFromString(await (await fetch(location.href, { cache: 'no-store' })).text(), 'text/html');
    const fresh = page.querySelector('[data-comments]');
    if (!fresh) {
      location.reload();
      return;
    }
    thread.replaceChildren(...fresh.children);
    for (const name of ['like-count', 'comment-count']) {
      setText(article.querySelector(`[data-${name}]`), page.querySelector(`[data-post] [data-${name}]`)?.textContent ?? '');
    }
    localTimes(thread);
    personalise(thread);
    if (me) likedState().catch(() => {});
  },
  error() {},
};

function notice(text) {
  const box = article.querySelector('[data-post-notice]');
  box.textContent = text;
  box.hidden = false;
}

let typingTimer;
function typing(name) {
  typingLine.textContent = `${name} is typing…`;
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => { typingLine.textContent = ''; }, 4000);
}

let lastTyping = 0;
function sayTyping() {
  if (!me || !bridge || Date.now() - lastTyping < 2000) return;
  lastTyping = Date.now();
  bridge.send(`post.${postId}.typing`, {});
}

/**
 * Buttons that depend on who is reading: like for users, reply for users, edit and delete for the
 * author and admins. The server's page has only the like count; the rest is added here.
 */
function personalise(root) {
  const comments = root.matches?.('[data-comment-id]') ? [root] : root.querySelectorAll('[data-comment-id]');
  for (const li of comments) {
    const footer = li.querySelector(':scope > .comment-body .actions');
    if (!footer) continue; // a deleted comment's placeholder
    const own = !!me && (me.role === 'admin' || Number(li.dataset.authorId) === me.id);
    footer.querySelector('[data-like]').disabled = !me;
    for (const [name, label, shown] of [['reply', 'Reply', !!me], ['edit', 'Edit', own], ['delete', 'Delete', own]]) {
      let button = footer.querySelector(`[data-${name}]`);
      if (!button && shown) {
        button = Object.assign(document.createElement('button'), { type: 'button', textContent: label });
        button.dataset[name] = '';
        footer.append(button);
      }
      if (button) button.hidden = !shown;
    }
  }
  showFor(me, root.matches ? root : document);
}

/** The API's page of the thread this page shows (the same cursor), as the signed-in reader sees it. */
function threadPage() {
  const query = new URLSearchParams({ limit: '50' });
  const cursor = new URLSearchParams(location.search).get('cursor');
  if (cursor) query.set('cursor', cursor);
  return session.api(`/api/posts/${postId}/comments?${query}`);
}

async function likedState() {
  const [post, comments] = await Promise.all([session.api(`/api/posts/${postId}/like`), threadPage()]);
  article.querySelector('[data-like]').setAttribute('aria-pressed', String(post.liked));
  for (const c of comments.items) {
    commentEl(c.id)?.querySelector(':scope > .comment-body [data-like]')?.setAttribute('aria-pressed', String(c.likedByMe));
  }
}

async function toggleLike(button, path) {
  const liked = button.getAttribute('aria-pressed') === 'true';
  button.disabled = true;
  try {
    const r = await session.api(path, { method: liked ? 'DELETE' : 'PUT' });
    setLike(button, r.likeCount, r.liked);
    if (button.closest('[data-post]')) setText(article.querySelector('[data-like-count]'), r.likeCount);
  } finally {
    button.disabled = false;
  }
}

async function submitComment(form, parentId) {
  const textarea = form.querySelector('textarea');
  const content = textarea.value.trim();
  if (!content) return;
  form.querySelector('button[type="submit"]').disabled = true;
  try {
    const c = await session.api(`/api/posts/${postId}/comments`, { method: 'POST', body: { content, ...(parentId ? { parentId } : {}) } });
    place(c);
    commentEl(c.id)?.scrollIntoView({ block: 'nearest' });
    textarea.value = '';
    form.querySelector('[data-error]').textContent = '';
    if (parentId) form.remove();
  } catch (e) {
    showProblem(form, e);
  } finally {
    form.querySelector('button[type="submit"]').disabled = false;
  }
}

function replyForm(li) {
  if (li.querySelector(':scope > .reply-form')) return;
  const form = document.createElement('form');
  form.className = 'reply-form';
  const id = `reply-${li.dataset.commentId}`;
  form.innerHTML = `<label for="${id}">Reply</label><textarea id="${id}" rows="3" maxlength="20000" required></textarea>
    <p class="field-error" data-error="form" role="alert"></p>
    <button type="submit" class="button">Reply</button> <button type="button" data-cancel>Cancel</button>`;
  form.addEventListener('submit', e => { e.preventDefault(); submitComment(form, Number(li.dataset.commentId)); });
  form.querySelector('[data-cancel]').addEventListener('click', () => form.remove());
  form.querySelector('textarea').addEventListener('input', sayTyping);
  li.querySelector(':scope > .comment-body').after(form);
  form.querySelector('textarea').focus();
}

async function editComment(li) {
  const body = li.querySelector(':scope > .comment-body');
  const content = body.querySelector('[data-content]');
  const id = li.dataset.commentId;
  // The Markdown as written (the page shows it rendered); a comment that arrived live past the
  // page's 50 threads is not on that API page, and is edited from its text.
  const current = await threadPage().then(p => p.items.find(c => String(c.id) === id)).catch(() => null);
  const form = document.createElement('form');
  form.className = 'reply-form';
  form.innerHTML = `<label for="edit-${id}">Edit comment</label><textarea id="edit-${id}" rows="4" maxlength="20000" required></textarea>
    <p class="field-error" data-error="form" role="alert"></p>
    <button type="submit" class="button">Save</button> <button type="button" data-cancel>Cancel</button>`;
  form.querySelector('textarea').value = current?.content ?? content.textContent;
  content.hidden = true;
  content.after(form);
  form.querySelector('textarea').focus();
  form.querySelector('[data-cancel]').addEventListener('click', () => { form.remove(); content.hidden = false; });
  form.addEventListener('submit', async e => {
    e.preventDefault();
    try {
      const c = await session.api(`/api/comments/${id}`, { method: 'PATCH', body: { content: form.querySelector('textarea').value } });
      showEdit(li, c.contentHtml, c.editedAt);
      form.remove();
      content.hidden = false;
    } catch (err) {
      showProblem(form, err);
    }
  });
}

thread.addEventListener('click', async e => {
  const more = e.target.closest('[data-more-replies]');
  if (more) {
    e.preventDefault();
    await loadMore(more);
    return;
  }
  const button = e.target.closest('button');
  const li = button?.closest('[data-comment-id]');
  if (!button || !li || !me) return;
  if (button.matches('[data-like]')) await toggleLike(button, `/api/comments/${li.dataset.commentId}/like`);
  else if (button.matches('[data-reply]')) replyForm(li);
  else if (button.matches('[data-edit]')) await editComment(li);
  else if (button.matches('[data-delete]') && confirm('Delete this comment?')) {
    await session.api(`/api/comments/${li.dataset.commentId}`, { method: 'DELETE' });
    markDeleted(li.dataset.commentId);
  }
});

article.querySelector('[data-like]').addEventListener('click', e => toggleLike(e.currentTarget, `/api/posts/${postId}/like`));
article.querySelector('[data-delete-post]').addEventListener('click', async () => {
  if (!confirm('Delete this post and its comments?')) return;
  await session.api(`/api/posts/${postId}`, { method: 'DELETE' });
  location.assign(article.querySelector('.crumbs a:last-child').href);
});

const commentForm = document.querySelector('[data-comment-form]');
commentForm?.addEventListener('submit', e => { e.preventDefault(); submitComment(commentForm); });
commentForm?.querySelector('textarea').addEventListener('input', sayTyping);

function applyUser(user) {
  me = user;
  const own = me && (me.role === 'admin' || Number(article.dataset.authorId) === me.id);
  article.querySelector('[data-like]').disabled = !me;
  article.querySelector('[data-edit-post]').hidden = !own;
  article.querySelector('[data-delete-post]').hidden = !own;
  personalise(thread);
  if (me) likedState().catch(() => {});
}

const seq = article.dataset.seq === '' ? null : Number(article.dataset.seq);
bridge?.watch(`post.${postId}`, seq, handler);
ready.then(user => {
  applyUser(user);
  session.onChange(applyUser);
});
