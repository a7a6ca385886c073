/**
 * <copy-text value="…">: a "Copy" button for a value the buyer must type into a banking app
 * (account number, amount, transfer reference). Without JS, or without clipboard access, the
 * button stays hidden and the value remains selectable text.
 */
class CopyText extends HTMLElement {
  connectedCallback(): void {
    const button = this.querySelector('button');
    if (!button || !navigator.clipboard) return;
    const label = button.textContent ?? '';
    button.hidden = false;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(this.getAttribute('value') ?? '');
        button.textContent = this.getAttribute('done') ?? label;
        setTimeout(() => (button.textContent = label), 2000);
      } catch {
        button.hidden = true;
      }
    });
  }
}
if (!customElements.get('copy-text')) customElements.define('copy-text', CopyText);
