// Changing one's username or password.
import { session, showProblem, fields, ready } from './app.js';

function handle(form, done) {
  form.addEventListener('submit', async e => {
    e.preventDefault();
    form.querySelector('[data-done]').textContent = '';
    try {
      await session.api('/api/users/me', { method: 'PATCH', body: fields(form) });
      for (const slot of form.querySelectorAll('[data-error]')) slot.textContent = '';
      form.reset();
      form.querySelector('[data-done]').textContent = done;
      await session.restore(); // the access token names the user: take one with the new name
    } catch (err) {
      showProblem(form, err);
    }
  });
}

handle(document.querySelector('[data-username-form]'), 'Your username was changed.');
handle(document.querySelector('[data-password-form]'), 'Your password was changed; your other sessions were signed out.');
ready.then(user => {
  if (user) document.querySelector('#settings-username').placeholder = user.username;
});
