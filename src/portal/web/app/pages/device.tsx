// One device: its facts, assignment history, MDM state, command queue (queue a command, see
// each result, cancel a pending one) and installed apps (GET /api/v1/devices/{serial} and
// /api/v1/devices/{serial}/mdm; commands through /api/v1/commands).
import { useEffect, useState } from 'preact/hooks';
import { cancelCommand, device, deviceMdm, queueCommand, type CommandTarget, type Device, type DeviceMdm } from '../api.js';
import { Notice, SelectField, TextField, failureText, problemAt, useAction, useConfirm } from '../components/forms.js';
import { DataTable } from '../components/table.js';
import { formatDate, t, term } from '../i18n/index.js';
import { href } from '../router.js';
import type { PageProps, PageRoute } from '../routes.js';

// Commands an admin queues from this page with no parameters (the API takes any documented one).
// DeviceInformation asks for the facts it names (Apple's query keys); this list is where the form starts.
const DEFAULT_QUERIES = 'DeviceName, OSVersion, BuildVersion, ProductName, ModelName, SerialNumber, UDID, DeviceCapacity, AvailableDeviceCapacity, BatteryLevel';
const COMMANDS = ['DeviceInformation', 'InstalledApplicationList', 'SecurityInfo', 'ProfileList', 'CertificateList', 'RestartDevice'];

export function DevicePage({ params, me }: PageProps) {
  const serial = params.serial!;
  const [d, setD] = useState<Device>();
  const [mdm, setMdm] = useState<DeviceMdm>();
  const [failure, setFailure] = useState<unknown>();
  const [requestType, setRequestType] = useState(COMMANDS[0]!);
  const [open, setOpen] = useState<string>();
  const [queries, setQueries] = useState(DEFAULT_QUERIES);
  const action = useAction();
  const [confirmEl, confirm] = useConfirm();
  const canCommand = me.permissions.includes('mdm.commands');
  const reload = () => Promise.all([device(serial), deviceMdm(serial)]).then(([a, b]) => { setD(a); setMdm(b); }, setFailure);
  useEffect(() => { void reload(); }, [serial]);
  if (failure) return <Notice kind="error">{failureText(failure)}</Notice>;
  if (!d || !mdm) return <p>{t('app.loading')}</p>;
  const e = mdm.enrollment;
  const queue = async (ev: Event) => {
    ev.preventDefault();
    if (!e?.udid) return;
    const command: Record<string, unknown> = { RequestType: requestType };
    if (requestType === 'DeviceInformation') command.Queries = queries.split(/[\s,]+/).filter(Boolean);
    const r = await action.run(() => queueCommand(e.udid!, command), (x) => t('device.queued', { uuid: x.command_uuid }));
    if (r) void reload();
  };
  const cancel = async (c: CommandTarget) => {
    if (!(await confirm(t('device.cancelConfirm', { type: c.request_type ?? c.command_uuid })))) return;
    const r = await action.run(() => cancelCommand(c.command_uuid, e!.udid!), () => t('device.cancelled'));
    if (r !== undefined) void reload();
  };
  // The history lists every command, the active ones too: each shows once, pending first.
  const pending = new Set(mdm.queue.map((c) => c.command_uuid));
  const commands = [...mdm.queue, ...mdm.history.filter((c) => !pending.has(c.command_uuid))];
  return (
    <>
      <p><a href={href('/devices')}>← {t('device.back')}</a></p>
      <h1>{t('device.title', { serial })}</h1>
      {confirmEl}
      <section aria-labelledby="facts"><h2 id="facts">{t('device.facts')}</h2>
        <dl class="facts">
          <dt>{t('devices.family')}</dt><dd>{d.family}</dd>
          <dt>{t('devices.model')}</dt><dd>{d.model}</dd>
          <dt>{t('devices.order')}</dt><dd>{d.order_number ?? '—'}</dd>
          <dt>{t('devices.server')}</dt><dd>{d.mdm_server_name ?? '—'}</dd>
          <dt>{t('device.assignedAt')}</dt><dd>{formatDate(d.assigned_at)}</dd>
        </dl>
      </section>
      <section aria-labelledby="history"><h2 id="history">{t('device.history')}</h2>
        <DataTable caption={t('device.history')} rows={mdm.assignments} rowKey={(a) => `${a.at}-${a.op}-${a.mdm_server_id}`} columns={[
          { key: 'at', label: t('device.historyAt'), cell: (a) => formatDate(a.at) },
          { key: 'op', label: t('device.historyOp'), cell: (a) => term(a.op) },
          { key: 'server', label: t('devices.server'), cell: (a) => a.mdm_server_name ?? a.mdm_server_id },
        ]} />
      </section>
      <section aria-labelledby="mdm"><h2 id="mdm">{t('device.mdm')}</h2>
        {e ? (
          <dl class="facts">
            <dt>{t('devices.state')}</dt><dd data-testid="mdm-state">{term(e.state)}</dd>
            <dt>{t('device.udid')}</dt><dd><code>{e.udid}</code></dd>
            <dt>{t('device.enrolledAt')}</dt><dd>{formatDate(e.enrolled_at)}</dd>
            <dt>{t('device.lastSeen')}</dt><dd>{formatDate(e.last_seen_at)}</dd>
          </dl>
        ) : <p>{t('device.notEnrolled')}</p>}
      </section>
      {e ? (
        <section aria-labelledby="queue"><h2 id="queue">{t('device.queue')}</h2>
          {action.notices}
          {canCommand ? (
            <form class="row" onSubmit={queue}>
              <SelectField label={t('device.requestType')} name="request_type" value={requestType} onChange={setRequestType} options={COMMANDS.map((c) => ({ value: c, label: c }))} />
              {requestType === 'DeviceInformation'
                ? <TextField label={t('device.queries')} name="queries" value={queries} onInput={setQueries} error={problemAt(action.failure, '/body/command/Queries')} />
                : null}
              <button type="submit" disabled={action.busy}>{t('device.queueCommand')}</button>
            </form>
          ) : null}
          <DataTable caption={t('device.queue')} rows={commands} rowKey={(c) => c.command_uuid} columns={[
            { key: 'type', label: t('device.requestType'), cell: (c) => c.request_type ?? '—' },
            { key: 'state', label: t('device.status'), cell: (c) => <span class={`badge badge-${c.state}`}>{term(c.state)}</span> },
            { key: 'queued', label: t('device.queuedAt'), cell: (c) => formatDate(c.queued_at) },
            {
              key: 'result', label: t('device.resultAt'), cell: (c) => (
                <>
                  {c.response ? (
                    <details open={open === c.command_uuid} onToggle={(ev) => (ev.currentTarget as HTMLDetailsElement).open && setOpen(c.command_uuid)}>
                      <summary>{t('device.showResult')} ({formatDate(c.result_at)})</summary>
                      <pre class="response">{JSON.stringify(c.response, null, 2)}</pre>
                    </details>
                  ) : formatDate(c.result_at)}
                  {canCommand && (c.state === 'queued' || c.state === 'not_now' || c.state === 'sent') && !c.cancelled_at
                    ? <button type="button" class="danger small" onClick={() => cancel(c)}>{t('device.cancel')}</button> : null}
                </>
              ),
            },
          ]} />
        </section>
      ) : null}
      <section aria-labelledby="apps"><h2 id="apps">{t('device.apps')}</h2>
        {mdm.installed_apps ? (
          <DataTable caption={t('device.apps')} rows={mdm.installed_apps.items} rowKey={(a) => `${a.identifier}-${a.version}`} columns={[
            { key: 'name', label: t('device.appName'), cell: (a) => a.name ?? '—' },
            { key: 'identifier', label: t('device.appId'), cell: (a) => <code>{a.identifier ?? '—'}</code> },
            { key: 'version', label: t('device.appVersion'), cell: (a) => a.version ?? '—' },
          ]} />
        ) : <p>{t('device.noApps')}</p>}
      </section>
    </>
  );
}

export const deviceRoute: PageRoute = { path: '/devices/:serial', component: DevicePage, title: 'device.title', permission: 'devices.read' };
