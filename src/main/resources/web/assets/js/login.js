// The sign-in form: errors from the server next to the field they are about.
import { session, showProblem, fields } from './app.js';

const form = document.querySelector('[data-login-form]');

/** Where to go after signing in: ?next= when it is a path of this site, else the home page. */
export function destination() {
  const next = new URLSearchParams(location.search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

form.addEventListener('submit', async e => {
  e.preventDefault();
  const { email = '', password = '' } = fields(form);
  form.querySelector('button[type="submit"]').disabled = true;
  try {
    await session.signIn(email, password);
    location.assign(destination());
  } catch (err) {
    showProblem(form, err);
    form.querySelector('[aria-invalid="true"]')?.focus();
  } finally {
    form.querySelector('button[type="submit"]').disabled = false;
  }
});
