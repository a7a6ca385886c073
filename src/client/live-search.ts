/**
 * <live-search>: progressive enhancement of the /products filter form. Without JS the form is a
 * plain GET form. With JS, typing (debounced) or changing a filter fetches the same page for the
 * new URL and swaps the regions marked data-live (results, facet counts, title), leaving the
 * input being typed in untouched; the URL follows (replaceState while typing, pushState for
 * filters), and Back/Forward restore the matching results.
 */
const DEBOUNCE_MS = 250;

class LiveSearch extends HTMLElement {
  #timer: number | undefined;
  #controller: AbortController | undefined;

  connectedCallback(): void {
    this.#bind();
    window.addEventListener('popstate', () => void this.#load(location.href, true));
  }

  #bind(): void {
    const form = this.querySelector('form');
    if (!form) return;
    form.addEventListener('input', (e) => {
      const el = e.target as HTMLInputElement;
      // Typing in text/number fields waits for a pause; checkboxes and selects go at once.
      if (el.type === 'search' || el.type === 'number' || el.type === 'text') this.#debounce(() => this.#go(form, 'replace'));
    });
    form.addEventListener('change', (e) => {
      const el = e.target as HTMLInputElement;
      if (el.type === 'checkbox' || el.tagName === 'SELECT') this.#go(form, 'push');
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.#go(form, 'push');
    });
  }

  #debounce(fn: () => void): void {
    window.clearTimeout(this.#timer);
    this.#timer = window.setTimeout(fn, DEBOUNCE_MS);
  }

  #go(form: HTMLFormElement, mode: 'push' | 'replace'): void {
    window.clearTimeout(this.#timer);
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (typeof v === 'string' && v.trim() !== '') params.append(k, v);
    const url = new URL(form.action || location.pathname, location.href);
    url.search = params.toString();
    if (url.href === location.href) return;
    history[mode === 'push' ? 'pushState' : 'replaceState'](null, '', url);
    void this.#load(url.href, false);
  }

  async #load(href: string, restoreForm: boolean): Promise<void> {
    this.#controller?.abort();
    const controller = (this.#controller = new AbortController());
    this.setAttribute('aria-busy', 'true');
    try {
      const res = await fetch(href, { signal: controller.signal, headers: { accept: 'text/html' } });
      if (!res.ok) throw new Error(String(res.status));
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      const next = doc.querySelector('live-search');
      if (!next || controller.signal.aborted) return;
      // Back/Forward also restore the form's fields; while typing, the form is left alone.
      const selector = restoreForm ? '[data-live], form' : '[data-live]';
      const incoming = new Map([...next.querySelectorAll<HTMLElement>(selector)].map((el) => [el.dataset.live ?? 'form', el]));
      for (const el of this.querySelectorAll<HTMLElement>(selector)) {
        const replacement = incoming.get(el.dataset.live ?? 'form');
        if (replacement) el.replaceWith(document.importNode(replacement, true));
      }
      if (restoreForm) this.#bind();
      document.title = doc.title;
    } catch (err) {
      // A failed fetch falls back to a normal page load of the same URL.
      if ((err as Error).name !== 'AbortError') location.assign(href);
    } finally {
      if (this.#controller === controller) this.removeAttribute('aria-busy');
    }
  }
}

customElements.define('live-search', LiveSearch);
