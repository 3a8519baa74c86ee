// Turns the admin's JSON Command (Apple's key names) into the typed Command dict sent to devices:
// unknown keys and wrong types are refused, base64 strings become <data>, and the full
// {CommandUUID, Command} plist is built once at enqueue.
// Apple: developer.apple.com/documentation/devicemanagement/sending-mdm-commands-to-a-device
import { invalid } from '../../errors.js';
import { buildPlist, type PlistValue } from '../../../plist/index.js';
import { specOf, type CommandSpec, type KeyType } from './catalogue.js';

const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function typed(key: string, type: KeyType, v: unknown): PlistValue {
  const bad = () => invalid('command_key_invalid', `Command.${key} must be ${type === 'data' ? 'base64 data' : type}`, { key });
  switch (type) {
    case 'string': if (typeof v !== 'string') throw bad(); return v;
    case 'integer': if (!Number.isSafeInteger(v)) throw bad(); return v as number;
    case 'boolean': if (typeof v !== 'boolean') throw bad(); return v;
    case 'data': if (typeof v !== 'string' || !BASE64.test(v.replace(/\s/g, ''))) throw bad(); return Buffer.from(v, 'base64');
    case 'dict': if (!isDict(v)) throw bad(); return jsonToPlist(v);
    case 'string[]': if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw bad(); return v as string[];
    case 'integer[]': if (!Array.isArray(v) || !v.every((x) => Number.isSafeInteger(x))) throw bad(); return v as number[];
    case 'data[]': if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw bad(); return (v as string[]).map((x) => Buffer.from(x, 'base64'));
  }
}

/** Nested dicts (Options, Configuration, Attributes...) pass through as plist values; null is dropped. */
function jsonToPlist(v: unknown): PlistValue {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(jsonToPlist);
  if (isDict(v)) return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, jsonToPlist(x)]));
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw invalid('command_value_invalid', 'command values must be strings, numbers, booleans, arrays or objects');
}

export interface BuiltCommand {
  spec: CommandSpec;
  /** The Command dict as plist values (RequestType first). */
  command: Record<string, PlistValue>;
}

export function buildCommand(input: unknown): BuiltCommand {
  if (!isDict(input)) throw invalid('command_required', 'command must be an object with RequestType');
  const requestType = input.RequestType;
  if (typeof requestType !== 'string') throw invalid('request_type_required', 'command.RequestType is required');
  const spec = specOf(requestType);
  if (!spec) throw invalid('request_type_unsupported', `RequestType ${requestType} is not one Orchard can queue`, { request_type: requestType });
  const command: Record<string, PlistValue> = { RequestType: requestType };
  for (const [key, value] of Object.entries(input)) {
    if (key === 'RequestType' || value === undefined) continue;
    const type = spec.keys[key];
    if (!type) throw invalid('command_key_unknown', `${requestType} has no key ${key}`, { key, allowed: Object.keys(spec.keys) });
    command[key] = typed(key, type, value);
  }
  for (const key of spec.required ?? []) {
    if (command[key] === undefined) throw invalid('command_key_required', `${requestType} needs ${key}`, { key });
  }
  if (spec.oneOf && spec.oneOf.filter((k) => command[k] !== undefined).length !== 1) {
    throw invalid('command_key_required', `${requestType} needs exactly one of ${spec.oneOf.join(', ')}`, { one_of: spec.oneOf });
  }
  const problem = spec.check?.(input);
  if (problem) throw invalid('command_invalid', problem);
  return { spec, command };
}

export function commandPlist(commandUuid: string, command: Record<string, PlistValue>): string {
  return buildPlist({ CommandUUID: commandUuid, Command: command });
}
