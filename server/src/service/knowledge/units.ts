/**
 * nginx's time and size units, parsed exactly as nginx parses them (src/core/ngx_parse.c), and
 * turned into plain words for hovers.
 */

const MAX = Number.MAX_SAFE_INTEGER;

/**
 * ngx_parse_time: `10s`, `1h30m`, `1h 30m`, `500ms`, `2d`, a bare number (seconds). Units must go
 * from larger to smaller, each at most once. `kind` 'msec' (ngx_conf_set_msec_slot) returns
 * milliseconds and forbids `y` and `M`; 'sec' (ngx_conf_set_sec_slot) returns seconds and forbids
 * `ms`. Returns null when nginx would say "invalid value". `from`/`to`: parse that part of `value`
 * only (a word read in place from a file's text, without a copy).
 */
export function parseTime(value: string, kind: 'msec' | 'sec' = 'msec', from = 0, to = value.length): number | null {
  const isSec = kind === 'sec';
  // steps: 0 start, 1 year, 2 month, 3 week, 4 day, 5 hour, 6 min, 7 sec, 8 msec, 9 last
  let step = isSec ? 0 : 2;
  let valid = false;
  let num = 0;
  let total = 0;
  let i = from;
  const n = to;
  while (i < n) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      num = num * 10 + (c - 48);
      if (num > MAX) return null;
      valid = true;
      i++;
      continue;
    }
    i++;
    let scale: number;
    let next: number;
    switch (c) {
      case 121 /* y */: if (step > 0) return null; next = 1; scale = 365 * 86400; break;
      case 77 /* M */: if (step >= 2) return null; next = 2; scale = 30 * 86400; break;
      case 119 /* w */: if (step >= 3) return null; next = 3; scale = 7 * 86400; break;
      case 100 /* d */: if (step >= 4) return null; next = 4; scale = 86400; break;
      case 104 /* h */: if (step >= 5) return null; next = 5; scale = 3600; break;
      case 109 /* m */:
        if (i < n && value.charCodeAt(i) === 115 /* s */) {
          if (isSec || step >= 8) return null;
          i++;
          next = 8; scale = 1;
          break;
        }
        if (step >= 6) return null;
        next = 6; scale = 60; break;
      case 115 /* s */: if (step >= 7) return null; next = 7; scale = 1; break;
      case 32 /* space */: if (step >= 7) return null; next = 9; scale = 1; break;
      default: return null;
    }
    step = next;
    if (next !== 8 && !isSec) scale *= 1000;
    total += num * scale;
    if (total > MAX) return null;
    num = 0;
    while (i < n && value.charCodeAt(i) === 32) i++;
  }
  if (!valid) return null;
  total += isSec ? num : num * 1000;
  return total > MAX ? null : total;
}

/**
 * A time value in seconds as nginx reads a msec slot (proxy_read_timeout, …): parseTime's answer
 * divided by 1000 ("60" and "60s" are 60, "500ms" 0.5); null when malformed or when it holds a
 * variable. The timeout rules and settings use it, so they understand exactly what value-invalid accepts.
 */
export function timeSeconds(value: string): number | null {
  const v = value.trim();
  if (!v || v.includes('$')) return null;
  const ms = parseTime(v, 'msec');
  return ms === null ? null : ms / 1000;
}

/**
 * ngx_parse_size (kind 'size': `k`/`K`, `m`/`M`) or ngx_parse_offset (kind 'off': also `g`/`G`).
 * Returns bytes, or null when nginx would say "invalid value". `from`/`to` as for parseTime.
 */
export function parseSize(value: string, kind: 'size' | 'off' = 'off', from = 0, to = value.length): number | null {
  if (to <= from) return null;
  let scale = 1;
  let end = to;
  switch (value.charCodeAt(end - 1)) {
    case 107: case 75: scale = 1024; end--; break; // k K
    case 109: case 77: scale = 1024 * 1024; end--; break; // m M
    case 103: case 71: if (kind === 'off') { scale = 1024 * 1024 * 1024; end--; } break; // g G
  }
  if (end === from) return null;
  let num = 0;
  for (let i = from; i < end; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    num = num * 10 + (c - 48);
  }
  const bytes = num * scale;
  return bytes > MAX ? null : bytes;
}

/** A non-negative integer as ngx_atoi reads it (ngx_conf_set_num_slot). */
export function parseNumber(value: string): number | null {
  if (!/^[0-9]+$/.test(value)) return null;
  const v = Number(value);
  return v > MAX ? null : v;
}

const TIME_UNITS: [number, string][] = [
  [365 * 86400_000, 'year'], [30 * 86400_000, 'month'], [7 * 86400_000, 'week'], [86400_000, 'day'],
  [3600_000, 'hour'], [60_000, 'minute'], [1000, 'second'], [1, 'millisecond'],
];

/** "1 hour 30 minutes", "500 milliseconds", "0 seconds" (input in milliseconds). */
export function humanTime(ms: number): string {
  if (ms === 0) return '0 seconds';
  const parts: string[] = [];
  let rest = ms;
  for (const [size, name] of TIME_UNITS) {
    if (rest >= size) {
      const k = Math.floor(rest / size);
      rest -= k * size;
      parts.push(`${k} ${name}${k === 1 ? '' : 's'}`);
    }
  }
  return parts.join(' ');
}

/** "10 megabytes", "1.5 kilobytes", "512 bytes" (binary units, as nginx uses them). */
export function humanSize(bytes: number): string {
  const units: [number, string][] = [[1024 ** 3, 'gigabyte'], [1024 ** 2, 'megabyte'], [1024, 'kilobyte']];
  for (const [size, name] of units) {
    if (bytes >= size) {
      const v = Math.round((bytes / size) * 100) / 100;
      return `${v} ${name}${v === 1 ? '' : 's'}`;
    }
  }
  return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}
