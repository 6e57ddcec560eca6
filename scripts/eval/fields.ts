import type { Rng } from './random.js';

/** Kinds of values a hard negative may change; each must flip the guard. */
export type FieldKind = 'number' | 'date' | 'amount' | 'id' | 'name';

/** One variable value of a template. `make` must return a fresh random value in the field's format. */
export interface FieldSpec {
  readonly kind: FieldKind;
  readonly make: (rng: Rng) => string;
}

const FIRST = [
  'Jane', 'John', 'Maria', 'Ahmed', 'Li', 'Sofia', 'Peter', 'Olga', 'Carlos', 'Aisha', 'Tom', 'Emma', 'Lukas', 'Chloe',
  'Ravi', 'Hannah', 'Mateo', 'Yuki', 'Noah', 'Grace', 'Ivan', 'Fatima', 'Oscar', 'Elena', 'Samuel', 'Mia', 'Kenji', 'Ines',
];
const LAST = [
  'Smith', 'Jones', 'Garcia', 'Khan', 'Chen', 'Rossi', 'Novak', 'Schmidt', 'Dubois', 'Okafor', 'Silva', 'Brown', 'Nguyen',
  'Kowalski', 'Larsen', 'Müller', 'Tanaka', 'Haddad', 'Petrov', 'Walsh', 'Moreau', 'Fischer', 'Costa', 'Patel', 'Berg',
];
const COMPANY_A = ['Acme', 'Northwind', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Soylent'];
const COMPANY_B = ['Logistics', 'Trading', 'Systems', 'Foods', 'Industries', 'Supplies', 'Labs', 'Partners'];
const CITIES = ['Lyon', 'Porto', 'Leeds', 'Graz', 'Utrecht', 'Bergen', 'Austin', 'Denver', 'Krakow', 'Turin', 'Ghent'];
const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
];

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const digits = (rng: Rng, count: number): string => Array.from({ length: count }, () => rng.int(0, 9)).join('');

/** A person's full name. */
export const personName: FieldSpec = { kind: 'name', make: (rng) => `${rng.pick(FIRST)} ${rng.pick(LAST)}` };
/** A company name. */
export const companyName: FieldSpec = {
  kind: 'name',
  make: (rng) => `${rng.pick(COMPANY_A)} ${rng.pick(COMPANY_B)}`,
};
/** A city (a proper name too). */
export const cityName: FieldSpec = { kind: 'name', make: (rng) => rng.pick(CITIES) };

/** A date in one of the formats documents use. */
export function dateField(format: 'iso' | 'long' | 'dmy' | 'day-month'): FieldSpec {
  return {
    kind: 'date',
    make: (rng) => {
      const year = rng.int(2021, 2026);
      const month = rng.int(1, 12);
      const day = rng.int(1, 28);
      if (format === 'iso') return `${year}-${pad(month)}-${pad(day)}`;
      if (format === 'dmy') return `${pad(day)}/${pad(month)}/${year}`;
      if (format === 'day-month') return `${day} ${MONTHS[month - 1]} ${year}`;
      return `${MONTHS[month - 1]} ${day}, ${year}`;
    },
  };
}

/** A money amount such as `$1,234.50` or `EUR 980.00`. */
export function amountField(style: '$' | 'EUR' | '£'): FieldSpec {
  return {
    kind: 'amount',
    make: (rng) => {
      const cents = rng.int(1_000, 2_500_000);
      const whole = Math.floor(cents / 100).toLocaleString('en-US');
      const text = `${whole}.${pad(cents % 100)}`;
      return style === 'EUR' ? `EUR ${text}` : `${style}${text}`;
    },
  };
}

/** A count or quantity in [min, max]. */
export function numberField(min: number, max: number): FieldSpec {
  return { kind: 'number', make: (rng) => String(rng.int(min, max)) };
}

/** An identifier such as `INV-2024-00042` or `1Z9A4…`. */
export function idField(style: 'invoice' | 'ticket' | 'tracking' | 'contract' | 'order'): FieldSpec {
  return {
    kind: 'id',
    make: (rng) => {
      if (style === 'invoice') return `INV-${rng.int(2021, 2026)}-${digits(rng, 5)}`;
      if (style === 'ticket') return `CS-${digits(rng, 6)}`;
      if (style === 'tracking') return `1Z${digits(rng, 3)}E${digits(rng, 9)}`;
      if (style === 'contract') return `AGR/${digits(rng, 4)}/${rng.pick(['A', 'B', 'C', 'D'])}`;
      return `PO${digits(rng, 7)}`;
    },
  };
}
