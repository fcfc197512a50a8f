// Title suggestions under the site's search box as one types (GET /api/search/suggest): the newest
// titles having the typed words, the last one as a beginning. Choosing one searches for it.
const box = document.querySelector('input[data-suggest]');
const list = box && document.getElementById(box.getAttribute('list'));
const WAIT_MS = 150;
let timer;
let asked = '';

async function suggest() {
  const typed = box.value.trim();
  if (typed === asked) return;
  asked = typed;
  if (!typed || typed.length > 100) {
    list.replaceChildren();
    return;
  }
  try {
    const r = await fetch('/api/search/suggest?q=' + encodeURIComponent(typed));
    if (!r.ok || box.value.trim() !== typed) return; // none served (no search node, a limit) or typed on
    const { items } = await r.json();
    list.replaceChildren(...items.map(item => {
      const option = document.createElement('option');
      option.value = item.title;
      return option;
    }));
  } catch {
    // offline: the box works without suggestions
  }
}

if (box && list) {
  box.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, WAIT_MS);
  });
}
