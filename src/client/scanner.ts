/**
 * <ocop-scanner>: reads a stamp's QR code with the phone camera on /verify. Uses the browser's
 * BarcodeDetector where there is one, else jsQR (bundled, loaded only when needed; no CDN). A code
 * of this site (/t/<code> or a GS1 Digital Link /01/…) opens its page; anything else is refused.
 * With `data-fill`, the counter-sale page's field receives the code instead.
 */
type Detector = { detect(source: CanvasImageSource): Promise<Array<{ rawValue: string }>> };

class OcopScanner extends HTMLElement {
  private stream: MediaStream | null = null;
  private running = false;
  private button!: HTMLButtonElement;
  private status!: HTMLParagraphElement;
  private video!: HTMLVideoElement;

  connectedCallback(): void {
    if (!navigator.mediaDevices?.getUserMedia) {
      this.replaceChildren(this.text(this.dataset.unsupported ?? ''));
      return;
    }
    this.button = document.createElement('button');
    this.button.type = 'button';
    this.button.className = 'button';
    this.button.textContent = this.dataset.start ?? 'Scan';
    this.button.addEventListener('click', () => (this.running ? this.stop() : void this.start()));
    this.video = document.createElement('video');
    this.video.setAttribute('playsinline', '');
    this.video.muted = true;
    this.video.hidden = true;
    this.video.className = 'scanner-video';
    this.status = this.text('');
    this.status.setAttribute('role', 'status');
    this.replaceChildren(this.button, this.video, this.status);
  }

  disconnectedCallback(): void {
    this.stop();
  }

  private text(s: string): HTMLParagraphElement {
    const p = document.createElement('p');
    p.className = 'small muted';
    p.textContent = s;
    return p;
  }

  private async start(): Promise<void> {
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch {
      this.status.textContent = this.dataset.denied ?? '';
      return;
    }
    this.running = true;
    this.button.textContent = this.dataset.stop ?? 'Stop';
    this.video.srcObject = this.stream;
    this.video.hidden = false;
    await this.video.play();
    this.status.textContent = this.dataset.looking ?? '';
    const detect = await this.detector();
    const tick = async () => {
      if (!this.running) return;
      const value = await detect().catch(() => null);
      if (value && this.open(value)) return;
      requestAnimationFrame(() => void tick());
    };
    void tick();
  }

  private stop(): void {
    this.running = false;
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
    if (this.video) this.video.hidden = true;
    if (this.button) this.button.textContent = this.dataset.start ?? 'Scan';
  }

  /** A function that returns the text of a QR code in the current frame, or null. */
  private async detector(): Promise<() => Promise<string | null>> {
    const Native = (window as unknown as { BarcodeDetector?: new (o: { formats: string[] }) => Detector }).BarcodeDetector;
    if (Native) {
      const d = new Native({ formats: ['qr_code'] });
      return async () => (await d.detect(this.video))[0]?.rawValue ?? null;
    }
    const { default: jsQR } = await import('jsqr');
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    return async () => {
      const w = this.video.videoWidth, h = this.video.videoHeight;
      if (!w || !h) return null;
      const scale = Math.min(1, 640 / Math.max(w, h));
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      ctx.drawImage(this.video, 0, 0, canvas.width, canvas.height);
      const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
      return jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
    };
  }

  /** Opens a stamp or Digital Link of this site; anything else is refused (a fake could point anywhere). */
  private open(text: string): boolean {
    let url: URL;
    try {
      url = new URL(text, location.href);
    } catch {
      return false;
    }
    const ours = /^\/(en\/)?(t\/[0-9A-Za-z-]{19,30}|01\/\d{8,14})(\/|$)/.test(url.pathname);
    if (!ours) {
      this.status.textContent = this.dataset.notOurs ?? '';
      return false;
    }
    this.stop();
    if (this.dataset.fill) return this.fill(url.pathname);
    location.assign(`${location.origin}${url.pathname}${url.search}`);
    return true;
  }

  /**
   * Counter sales (`data-fill="<input id>"`): the stamp's code goes into the form's field and the
   * form is sent, instead of opening the stamp page.
   */
  private fill(path: string): boolean {
    const code = /\/t\/([0-9A-Za-z-]{19,30})(\/|$)/.exec(path)?.[1] ?? /\/21\/([^/]+)/.exec(path)?.[1];
    const input = document.getElementById(this.dataset.fill!) as HTMLInputElement | null;
    if (!code || !input) {
      this.status.textContent = this.dataset.notOurs ?? '';
      return false;
    }
    input.value = decodeURIComponent(code);
    input.form?.requestSubmit();
    return true;
  }
}

customElements.define('ocop-scanner', OcopScanner);
