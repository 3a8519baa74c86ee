// `orchard sim run`: one simulated device lives on a running Orchard as a real one does. It enrols
// (Setup Assistant) or comes back with the enrolment saved under --state-dir, checks in
// (Authenticate, TokenUpdate), holds its APNs connection on the local APNs' device channel
// (found through the admin API, GET /api/v1/apns → device_channel_url) and runs the MDM connect
// loop on each push, until stopped. It never polls. One log line per push and per command.
import { createOrchardClient, ok } from '../client/index.js';
import { ConfigError } from '../config.js';
import { adminToken, FAMILIES } from './cli-args.js';
import { SimulatedDevice, type SimFamily } from './device.js';
import { readSavedEnrolment, restoreDevice, writeSavedEnrolment } from './saved-enrolment.js';

export interface RunControls {
  /** Resolves when the device should stop (Ctrl-C). */
  stopped: Promise<void>;
  now?: () => Date;
}

const KNOWN = ['serial', 'family', 'url', 'udid', 'token', 'token-file', 'state-dir', 'os-version', 'build'];

async function deviceChannelUrl(url: string, token: string): Promise<string> {
  const body = await ok(createOrchardClient({ url, token }).GET('/apns'));
  if (!body.device_channel_url) {
    throw new Error(`Orchard pushes through ${body.mode ?? 'another'} APNs, which a simulated device cannot reach: run it with ORCHARD_APNS_MODE=simulator`);
  }
  return body.device_channel_url;
}

export async function simRun(o: Record<string, string>, out: (s: string) => void, controls: RunControls): Promise<number> {
  const unknown = Object.keys(o).filter((k) => !KNOWN.includes(k));
  if (unknown.length) throw new ConfigError(`unknown option --${unknown[0]} (npx orchard sim --help)`);
  if (!o.serial || !o.url) throw new ConfigError('--serial and --url are required (npx orchard sim --help)');
  const family = (o.family ?? 'iPhone') as SimFamily;
  if (!FAMILIES.includes(family)) throw new ConfigError(`--family must be one of ${FAMILIES.join(', ')}`);
  const now = controls.now ?? (() => new Date());
  const log = (line: string) => out(`${now().toISOString()} ${o.serial} ${line}\n`);
  const token = adminToken(o);
  const stateDir = o['state-dir'];

  const saved = stateDir ? readSavedEnrolment(stateDir, o.serial) : undefined;
  let device: SimulatedDevice;
  if (saved) {
    if (saved.family !== family) throw new ConfigError(`the saved enrolment of ${o.serial} is for family ${saved.family}, not ${family}`);
    device = restoreDevice(saved);
    log(`reusing the enrolment saved in ${stateDir} (UDID ${device.udid})`);
  } else {
    device = new SimulatedDevice({ serial: o.serial, family, udid: o.udid, osVersion: o['os-version'], buildVersion: o.build });
    await device.obtainIdentity(o.url, token);
    const outcome = await device.enrol({ orchardUrl: o.url });
    if (outcome.state === 'not-enrolled') {
      log(`not enrolled: ${outcome.reason}`);
      return 3;
    }
    log(`enrolled (${device.family}, ${device.productName}, UDID ${device.udid}): profile ${device.profileVerified ? 'verified' : 'signed, not verified'}, MDM ${device.mdm!.serverUrl}`);
  }
  const save = () => {
    if (stateDir) writeSavedEnrolment(stateDir, device);
  };
  save();

  const channelUrl = await deviceChannelUrl(o.url, token);
  // A device that comes back with its enrolment only tells its token again.
  await device.checkIn({ authenticate: !saved });
  log(`checked in: ${saved ? '' : 'Authenticate, '}TokenUpdate (token ${device.pushToken.toString('hex').slice(0, 8)}…, AwaitingConfiguration ${device.inSetupAssistant})`);

  let wasInSetup = device.inSetupAssistant;
  const listener = device.listenForPushes(channelUrl, {
    onPush: (ours, apnsId) => log(ours ? `push (apns-id ${apnsId ?? '-'})` : `push with another PushMagic, ignored (apns-id ${apnsId ?? '-'})`),
    onWake: (summary) => {
      for (const s of summary.steps) log(`command ${s.requestType} ${s.commandUuid} → ${s.status}`);
      if (summary.finalStatus !== 200) log(`the server ended the connect loop with HTTP ${summary.finalStatus}`);
      if (wasInSetup && !device.inSetupAssistant) log('DeviceConfigured: leaves Setup Assistant');
      wasInSetup = device.inSetupAssistant;
      save();
    },
    onError: (err) => log(`connect loop failed: ${(err as Error)?.message ?? String(err)}`),
    onUnregistered: () => log('APNs declared the token unregistered: no more pushes'),
  });
  await Promise.race([listener.ready, controls.stopped]);
  log(`listening for pushes on ${channelUrl} (topic ${device.mdm!.topic})`);
  await controls.stopped;
  device.stop();
  save();
  log(`stopped after ${listener.pushes} push(es) and ${listener.wakes.length} connect loop(s)`);
  return 0;
}
