/**
 * The request thread's language service, with each document's newest text given to it only when
 * something asks the service anything.
 *
 * With the validation worker, a keystroke needs no tree on the request thread: the worker parses and
 * validates its own copy. Most keystrokes are followed by no request at all (VS Code's traced
 * typing: 36 of 51 keystrokes on a 43k-line file), and parsing that file costs this thread 25–30 ms
 * a keystroke (half of it the collection of the previous tree), time every request sent meanwhile
 * waited. So `openDocument` only records the text; the first call of any other method hands every
 * recorded text to the service first, in the order they came. What any call sees is exactly what it
 * would have seen had each text been given at once.
 */
import type { NginxLanguageService as LanguageService } from './service/index';

export type DeferredService = Omit<LanguageService, 'openDocument'> & {
  /** records `text` as `uri`'s content; the service parses it when next asked anything */
  openDocument(uri: string, text: string, version: number | null): void;
  /** whether `uri` is open in the service, without parsing a recorded text (a request's guard) */
  knows(uri: string): boolean;
  /** gives the recorded texts to the service now (in idle time, so that the next request need not) */
  catchUp(): void;
};

/**
 * Methods that never read a document's text, so a call need not parse the recorded ones first:
 * VS Code resolves the focused completion item right after each keystroke (traced: 0–1 ms after
 * the didChange), and parsing a 43k-line text for it took 18 ms.
 */
const TEXT_FREE = new Set<PropertyKey>(['resolveCompletion']);

export function deferTexts(service: LanguageService): DeferredService {
  /** uri → its newest text not yet given to the service (a Map keeps the order of arrival) */
  const pending = new Map<string, { text: string; version: number | null }>();
  const settle = () => {
    if (!pending.size) return;
    const texts = [...pending];
    pending.clear();
    for (const [uri, d] of texts) service.openDocument(uri, d.text, d.version);
  };
  const methods = new Map<PropertyKey, unknown>();
  return new Proxy(service, {
    get(target, prop) {
      if (prop === 'openDocument') {
        return (uri: string, text: string, version: number | null) => {
          // a newer text of the same document replaces the older one, which nobody saw
          pending.delete(uri);
          pending.set(uri, { text, version });
        };
      }
      if (prop === 'catchUp') return settle;
      if (prop === 'knows') return (uri: string) => pending.has(uri) || !!target.parsed(uri);
      if (prop === 'closeDocument') {
        return (uri: string) => {
          pending.delete(uri); // a closed document's last text is never needed
          settle();
          target.closeDocument(uri);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      let m = methods.get(prop);
      if (!m) {
        const fn = value as (...args: unknown[]) => unknown;
        const textFree = TEXT_FREE.has(prop);
        m = (...args: unknown[]) => {
          if (!textFree) settle();
          return fn.apply(target, args);
        };
        methods.set(prop, m);
      }
      return m;
    },
  }) as unknown as DeferredService;
}
