/**
 * The console starts here: its configuration first (local or cloud), a return from the hosted UI
 * completed if this load is one, then the app with Element Plus in Chinese.
 */
import { createApp } from 'vue';
import App from './App.vue';
import { loadConfig } from './config.ts';
import { router } from './router.ts';
import { finishCloudSignIn } from './session.ts';
import './styles.css';

async function start(): Promise<void> {
  const settings = await loadConfig();
  if (settings.mode === 'cloud') {
    const returnTo = await finishCloudSignIn(settings.signIn).catch(() => undefined);
    if (returnTo !== undefined) await router.replace(returnTo);
  }
  createApp(App).use(router).mount('#app');
}

start().catch((error: unknown) => {
  const app = document.getElementById('app');
  if (app !== null) {
    app.setAttribute('role', 'alert');
    app.textContent = `控制台无法启动：${error instanceof Error ? error.message : String(error)}`;
  }
});
