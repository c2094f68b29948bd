// Entry point: mounts the app, and makes sure that an error nobody caught
// still reaches the user as a sentence rather than a frozen window.
import { mount } from 'svelte';
import './app.css';
import './highlight.css';
import App from './App.svelte';
import { library } from './lib/state/library.svelte';

function report(reason: unknown) {
  const text = reason instanceof Error ? reason.message : String(reason);
  library.notice = `Something went wrong: ${text}. If the window stops responding, restart Rehearse.`;
}

window.addEventListener('error', (event) => {
  // Not an error (the spec says so): observers whose callbacks changed the
  // layout get the rest of their notifications on the next frame. The
  // virtualized lists' observers do this by design.
  if (event.error === null && /^ResizeObserver loop/.test(event.message)) return;
  report(event.error ?? event.message);
});
window.addEventListener('unhandledrejection', (event) => report(event.reason));

const target = document.getElementById('app')!;
target.replaceChildren();
export default mount(App, { target });
