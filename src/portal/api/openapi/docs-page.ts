// Readable reference docs of the admin API, rendered by Orchard itself from the OpenAPI document:
// one static HTML page and its stylesheet, no script and nothing fetched from elsewhere, so it
// works offline and under a strict Content-Security-Policy (default-src 'none'; style-src 'self').
// Chosen over bundling a JavaScript renderer (Redoc, Scalar: megabytes of script that need
// script-src and, for some, fonts from a CDN) because the document is ours and small.
import { Router } from 'express';
import { API_PREFIX, OPENAPI_DOCUMENT } from './document.js';

type Schema = Record<string, any>;

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** Inline `code` spans of the descriptions, nothing else of Markdown. */
const prose = (s: unknown) => esc(s ?? '').replace(/`([^`]+)`/g, '<code>$1</code>').split(/\n\n/).map((p) => `<p>${p}</p>`).join('');
const refName = (ref: string) => ref.split('/').pop()!;
const anchor = (kind: string, name: string) => `${kind}-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

function typeOf(s: Schema): string {
  if (s.$ref) return `<a href="#${anchor('schema', refName(s.$ref))}">${esc(refName(s.$ref))}</a>`;
  if (s.const !== undefined) return `<code>${esc(JSON.stringify(s.const))}</code>`;
  if (s.anyOf || s.oneOf) return (s.anyOf ?? s.oneOf).map(typeOf).join(' or ');
  const t = Array.isArray(s.type) ? s.type.join(' or ') : s.type ?? 'any';
  if (s.type === 'array' && s.items) return `array of ${typeOf(s.items)}`;
  if (s.enum) return `${esc(t)} (${s.enum.filter((v: unknown) => v !== null).map((v: unknown) => `<code>${esc(v)}</code>`).join(', ')})`;
  return esc(t) + (s.format ? ` (${esc(s.format)})` : '');
}

function fields(s: Schema, depth = 0): string {
  const props = s.properties as Record<string, Schema> | undefined;
  if (!props || depth > 3) {
    if (s.additionalProperties && typeof s.additionalProperties === 'object') return `<p class="note">an object whose values are ${typeOf(s.additionalProperties)}</p>`;
    return '';
  }
  const required = new Set<string>(s.required ?? []);
  const rows = Object.entries(props).map(([name, p]) => {
    const inner = p.type === 'object' || (Array.isArray(p.type) && p.type.includes('object')) ? fields(p, depth + 1)
      : p.type === 'array' && p.items?.properties ? fields(p.items, depth + 1) : '';
    return `<li><code>${esc(name)}</code> <span class="type">${typeOf(p)}</span>${required.has(name) ? ' <span class="req">required</span>' : ''}${p.description ? ` — ${prose(p.description).replace(/^<p>|<\/p>$/g, '')}` : ''}${inner}</li>`;
  });
  const closed = s.additionalProperties === false ? '<li class="note">no other fields</li>' : '';
  return `<ul class="fields">${rows.join('')}${closed}</ul>`;
}

function schemaBlock(s: Schema): string {
  return `<div class="schema"><span class="type">${typeOf(s)}</span>${s.$ref ? '' : fields(s)}</div>`;
}

function operation(method: string, path: string, op: Schema): string {
  const access = op['x-orchard-permission'] ? `permission <code>${esc(op['x-orchard-permission'])}</code>` : esc(op['x-orchard-access']);
  const params = (op.parameters ?? []) as Schema[];
  const paramRows = params.map((p) => `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${typeOf(p.schema)}</td><td>${p.required ? 'yes' : ''}</td><td>${esc(p.description ?? '')}</td></tr>`).join('');
  const body = op.requestBody ? Object.entries(op.requestBody.content as Record<string, Schema>).map(([type, c]) => `<h4>Body <code>${esc(type)}</code>${op.requestBody.required ? '' : ' (optional)'}</h4>${schemaBlock(c.schema)}${c.example !== undefined ? `<pre>${esc(JSON.stringify(c.example, null, 2))}</pre>` : ''}`).join('') : '';
  const responses = Object.entries(op.responses as Record<string, Schema>).map(([status, r]) => {
    if (r.$ref) return `<li><b>${esc(status)}</b> <a href="#${anchor('response', refName(r.$ref))}">${esc(refName(r.$ref))}</a></li>`;
    const content = Object.entries((r.content ?? {}) as Record<string, Schema>).map(([type, c]) => `<div><code>${esc(type)}</code> ${schemaBlock(c.schema)}${c.example !== undefined ? `<pre>${esc(JSON.stringify(c.example, null, 2))}</pre>` : ''}</div>`).join('');
    return `<li><b>${esc(status)}</b> ${esc(r.description ?? '')}${content}</li>`;
  }).join('');
  return `<section class="op" id="${anchor('op', op.operationId)}">
<h3><span class="method ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(API_PREFIX + path)}</code></h3>
<p class="summary">${esc(op.summary)} <span class="access">${access}</span></p>${prose(op.description)}
${paramRows ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>type</th><th>required</th><th></th></tr>${paramRows}</table>` : ''}
${body}<h4>Responses</h4><ul class="responses">${responses}</ul></section>`;
}

export function renderDocsPage(doc: Schema = OPENAPI_DOCUMENT): string {
  const byTag = new Map<string, string[]>();
  const toc = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Schema>>)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = op.tags?.[0] ?? 'Other';
      (byTag.get(tag) ?? byTag.set(tag, []).get(tag)!).push(operation(method, path, op));
      (toc.get(tag) ?? toc.set(tag, []).get(tag)!).push(`<li><a href="#${anchor('op', op.operationId)}"><span class="method ${esc(method)}">${esc(method.toUpperCase())}</span> ${esc(path)}</a></li>`);
    }
  }
  const schemas = Object.entries(doc.components.schemas as Record<string, Schema>).map(([name, s]) => `<section id="${anchor('schema', name)}"><h3>${esc(name)}</h3>${s.description ? prose(s.description) : ''}${schemaBlock({ ...s, description: undefined })}</section>`).join('');
  const responses = Object.entries(doc.components.responses as Record<string, Schema>).map(([name, r]) => `<section id="${anchor('response', name)}"><h3>${esc(name)}</h3><p>${esc(r.description)}</p>${schemaBlock(r.content['application/json'].schema)}</section>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(doc.info.title)} ${esc(doc.info.version)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="docs.css"></head>
<body><nav><h2>${esc(doc.info.title)}</h2><p><a href="${API_PREFIX}/openapi.json">openapi.json</a> (OpenAPI ${esc(doc.openapi)})</p>
${[...toc].map(([tag, items]) => `<h4>${esc(tag)}</h4><ul>${items.join('')}</ul>`).join('')}<h4><a href="#schemas">Schemas</a></h4></nav>
<main><h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1>${prose(doc.info.description)}
${[...byTag].map(([tag, ops]) => `<h2 id="${anchor('tag', tag)}">${esc(tag)}</h2>${ops.join('')}`).join('')}
<h2 id="schemas">Schemas</h2>${schemas}<h2 id="responses">Common error responses</h2>${responses}</main></body></html>
`;
}

const CSS = `body{margin:0;font:15px/1.5 system-ui,sans-serif;color:#1d1d1f;display:flex}
nav{position:sticky;top:0;height:100vh;overflow:auto;width:300px;flex:none;padding:0 1em;background:#f5f5f7;border-right:1px solid #ddd;font-size:13px}
nav ul{list-style:none;padding:0;margin:0}nav a{text-decoration:none;color:inherit}main{padding:0 2em 4em;max-width:960px}
.op{border-top:1px solid #ddd;padding:.5em 0}.method{display:inline-block;min-width:4em;font:bold 12px monospace;text-align:center;border-radius:3px;color:#fff;background:#666}
.get{background:#0a7d32}.post{background:#0063c6}.put{background:#8a5a00}.patch{background:#7a3db8}.delete{background:#c0262d}
.access{font-size:13px;color:#555;margin-left:.5em}.type{color:#555}.req{color:#c0262d;font-size:12px}.note{color:#777;font-size:13px}
ul.fields{margin:.2em 0;padding-left:1.2em}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;font-size:14px}
pre{background:#f5f5f7;padding:.5em;overflow:auto}code{font-size:13px}p{margin:.3em 0}`;

/** GET /api/docs (the page) and /api/docs/docs.css: public, like the document they render. */
export function apiDocsRouter(): Router {
  const r = Router();
  const html = renderDocsPage();
  const csp = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  r.get('/', (req, res) => {
    // A relative stylesheet link needs the trailing slash: /api/docs → /api/docs/.
    if (!req.originalUrl.split('?')[0]!.endsWith('/')) return res.redirect(301, `${req.baseUrl}/`);
    res.set({ 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' }).type('html').send(html);
  });
  r.get('/docs.css', (_req, res) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' }).type('css').send(CSS);
  });
  return r;
}
