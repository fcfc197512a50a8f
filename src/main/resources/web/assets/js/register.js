// Registration: the account is created, then signed in.
import { session, showProblem, fields } from './app.js';

const form = document.querySelector('[data-register-form]');

form.addEventListener('submit', async e => {
  e.preventDefault();
  const { username = '', email = '', password = '' } = fields(form);
  form.querySelector('button[type="submit"]').disabled = true;
  try {
    await session.api('/api/auth/register', { method: 'POST', body: { username, email, password } });
    await session.signIn(email, password);
    location.assign('/');
  } catch (err) {
    showProblem(form, err);
    form.querySelector('[aria-invalid="true"]')?.focus();
  } finally {
    form.querySelector('button[type="submit"]').disabled = false;
  }
});
