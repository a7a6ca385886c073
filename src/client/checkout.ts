/**
 * Checkout in one step when JavaScript runs. The page works without it as two submits (see the
 * total, then place the order); here the summary, the total and its hidden `shownTotal` follow
 * the chosen province as the server prices them — the same /checkout form posted with
 * intent=quote, its summary taken from the answer — so one press of "Place the order" places it.
 * The server still places only the total the shopper saw (checkout.form.ts).
 */
const form = document.querySelector<HTMLFormElement>('form[data-checkout]');
if (form) oneStep(form);

function showJsParts(root: ParentNode): void {
  // The no-JS buttons go (not just hide): Enter in a field submits with the form's first button.
  root.querySelectorAll<HTMLElement>('[data-no-js]').forEach((el) => (el instanceof HTMLButtonElement ? el.remove() : (el.hidden = true)));
  root.querySelectorAll<HTMLElement>('[data-js-only]').forEach((el) => (el.hidden = false));
}

function oneStep(form: HTMLFormElement): void {
  const side = form.querySelector<HTMLElement>('[data-checkout-side]');
  const province = form.querySelector<HTMLSelectElement>('select[name="province"]');
  const place = form.querySelector<HTMLButtonElement>('button[value="place"]');
  if (!side || !province || !place) return;
  form.classList.add('checkout--one-step');
  showJsParts(form);
  place.hidden = false;
  const messages = form.dataset;
  let asked = 0;

  async function refresh(): Promise<void> {
    const mine = ++asked;
    const body = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (typeof v === 'string' && k !== 'intent' && k !== 'shownTotal') body.append(k, v);
    body.set('intent', 'quote');
    side!.setAttribute('aria-busy', 'true');
    place!.disabled = true;
    const status = side!.querySelector<HTMLElement>('[data-checkout-status]');
    if (status) status.textContent = messages.updating ?? '';
    try {
      const res = await fetch(form.action, { method: 'POST', body, headers: { accept: 'text/html' }, credentials: 'same-origin' });
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      if (mine !== asked) return;
      const fresh = doc.querySelector('[data-checkout-side] .order-quote');
      const quote = side!.querySelector('.order-quote');
      if (!res.ok || !fresh || !quote) throw new Error(`quote ${res.status}`);
      quote.replaceWith(document.importNode(fresh, true));
      const total = side!.querySelector<HTMLElement>('[data-checkout-total]');
      const freshTotal = doc.querySelector<HTMLElement>('[data-checkout-total]');
      if (total && freshTotal) {
        total.innerHTML = freshTotal.innerHTML;
        total.hidden = freshTotal.hidden;
      }
      const shown = doc.querySelector<HTMLInputElement>('input[name="shownTotal"]');
      let input = form.querySelector<HTMLInputElement>('input[name="shownTotal"]');
      if (shown) {
        if (!input) {
          input = Object.assign(document.createElement('input'), { type: 'hidden', name: 'shownTotal' });
          side!.prepend(input);
        }
        input.value = shown.value;
      } else input?.remove();
      showJsParts(side!);
      if (status) status.textContent = '';
    } catch {
      // The server prices the order before placing it anyway: without a shown total it answers
      // with the total to confirm, as without JavaScript.
      if (mine === asked) {
        form.querySelector('input[name="shownTotal"]')?.remove();
        if (status) status.textContent = messages.failed ?? '';
      }
    } finally {
      if (mine === asked) {
        side!.removeAttribute('aria-busy');
        place!.disabled = false;
      }
    }
  }

  province.addEventListener('change', () => void refresh());
  // Back with errors or a changed cart: the province may be chosen but the total not shown yet.
  if (province.value && !form.querySelector('input[name="shownTotal"]')) void refresh();
}
