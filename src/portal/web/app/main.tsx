// The portal's entry: mounts the shell into #app (the page at `/`, src/portal/web/router.ts).
import { render } from 'preact';
import { App } from './app.js';
import './styles/app.css';

render(<App />, document.getElementById('app')!);
