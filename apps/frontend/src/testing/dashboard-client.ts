/**
 * A tiny browser for route tests: calls `app.request()`, keeps cookies like a browser would
 * (honouring Max-Age=0 deletions), and reads the CSRF token from the last page so tests post
 * forms the way a person's browser does.
 */
export interface Requestable {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

export interface PageResult {
  status: number;
  headers: Headers;
  html: string;
  /** Location of a redirect, if any. */
  location: string | null;
}

export class DashboardClient {
  readonly cookies = new Map<string, string>();
  lastHtml = '';

  constructor(
    private readonly app: Requestable,
    readonly origin = 'http://dashboard.test',
    private readonly headers: Record<string, string> = { 'accept-language': 'en-US' },
  ) {}

  /** The CSRF token of the last rendered page. */
  get csrf(): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(this.lastHtml);
    if (!m) throw new Error('no CSRF field on the last page');
    return m[1]!;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(path: string, init: RequestInit = {}): Promise<PageResult> {
    const headers = new Headers({ ...this.headers, ...(init.headers as Record<string, string> | undefined) });
    if (this.cookies.size) headers.set('cookie', this.cookieHeader());
    const res = await this.app.request(`${this.origin}${path}`, { ...init, headers, redirect: 'manual' });
    this.store(res);
    const html = await res.text();
    if ((res.headers.get('content-type') ?? '').includes('text/html')) this.lastHtml = html;
    return { status: res.status, headers: res.headers, html, location: res.headers.get('location') };
  }

  get(path: string): Promise<PageResult> {
    return this.request(path);
  }

  /** Posts a form; the CSRF token of the last page is added unless `_csrf` is given. */
  post(path: string, form: Record<string, string>): Promise<PageResult> {
    const body = new URLSearchParams({ _csrf: this.lastHtml ? this.csrf : '', ...form });
    return this.request(path, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  /** GET, then follow one redirect if there is one. */
  async follow(result: PageResult): Promise<PageResult> {
    return result.location
      ? this.get(
          new URL(result.location, this.origin).pathname + new URL(result.location, this.origin).search,
        )
      : result;
  }

  async signIn(email: string, password: string): Promise<PageResult> {
    await this.get('/login');
    const res = await this.post('/login', { email, password });
    if (res.status !== 303)
      throw new Error(`sign-in failed with ${res.status}: ${text(res.html).slice(0, 300)}`);
    return this.follow(res);
  }
}

/** Visible text of a page, roughly: tags dropped, entities decoded, whitespace collapsed. */
export function text(html: string): string {
  return (
    html
      .replace(/<(script|style|title)[\s\S]*?<\/\1>/g, ' ')
      // Inline elements do not separate words; block elements and cells do.
      .replace(/<\/?(span|a|strong|em|time|code|abbr)\b[^>]*>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;|&#x27;/g, "'")
      .replace(/\s+/g, ' ')
      .trim()
  );
}
