// What a device is, by product code: the reseller API carries only serials and asset tags, so a
// reseller names the product (Orchard's `productCode`, an Apple part number) or spells the
// details out; fixtures/product-catalogue.json maps part numbers to what the DEP API reports.
import { DEVICE_FAMILIES, type DeviceFamily } from '../store/device-types.js';
import { invalid } from './errors.js';

export interface ProductDetails {
  family: DeviceFamily;
  model: string;
  description: string;
  color: string;
  os: string;
}

export interface ProductCatalogue {
  products: Record<string, ProductDetails>;
}

/** The OS name the DEP API reports for each family (iPadOS for iPads from protocol 7). */
export const OS_OF_FAMILY: Record<DeviceFamily, string> = { iPhone: 'iOS', iPod: 'iOS', iPad: 'iPadOS', Mac: 'OSX', AppleTV: 'tvOS' };

export const isFamily = (v: unknown): v is DeviceFamily => typeof v === 'string' && (DEVICE_FAMILIES as readonly string[]).includes(v);

const text = (v: unknown, max: number, name: string): string => {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string' || v.length > max) throw invalid(`${name}_invalid`, `${name} must be a string of at most ${max} characters`);
  return v.trim();
};

/**
 * Details from a product code in the catalogue, or from fields given inline
 * (`deviceFamily`/`family`, `model`, `description`, `color`, `os`).
 */
export function productDetails(catalogue: ProductCatalogue, entry: Record<string, unknown>): ProductDetails {
  const code = entry.productCode;
  if (code !== undefined) {
    const p = typeof code === 'string' ? catalogue.products[code] : undefined;
    if (!p) throw invalid('product_code_unknown', `productCode ${JSON.stringify(code)} is not in the product catalogue`);
    return { ...p };
  }
  const family = entry.deviceFamily ?? entry.family;
  if (!isFamily(family)) {
    throw invalid('device_details_required', `give a productCode or a family (${DEVICE_FAMILIES.join(', ')}) and model`);
  }
  const model = text(entry.model, 100, 'model');
  if (!model) throw invalid('model_required', 'model is required with a family');
  return {
    family, model, description: text(entry.description, 200, 'description'), color: text(entry.color, 50, 'color'),
    os: text(entry.os, 20, 'os') || OS_OF_FAMILY[family],
  };
}

/** Apple serial numbers: letters and digits (10 to 12 today; older and test ones vary). */
export const SERIAL_RE = /^[A-Z0-9]{8,20}$/;

export function normaliseSerial(v: unknown): string {
  const s = typeof v === 'string' ? v.trim().toUpperCase() : '';
  if (!SERIAL_RE.test(s)) throw invalid('serial_invalid', `${JSON.stringify(v)} is not a serial number (8 to 20 letters and digits)`);
  return s;
}
