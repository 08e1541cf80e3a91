import * as z from "zod";
import { AppError } from "../errors/app-error";
import type { LightspeedTransport } from "./transport";

/**
 * Follows `@attributes.next` until it is "" (or absent). Cursors are opaque: the URL is used exactly as given.
 * A `next` seen before, or more pages than `maxPages`, is a loop: stop with an error instead of spinning.
 */
const attributes = z.looseObject({
  "@attributes": z.looseObject({ next: z.string().optional(), previous: z.string().optional(), count: z.string().optional() }).optional(),
});

export interface RawPage {
  body: Record<string, unknown>;
  url: string;
  index: number;
}

export async function* paginate(transport: LightspeedTransport, firstUrl: string, options: { cost: number; what: string; maxPages?: number }): AsyncGenerator<RawPage> {
  const seen = new Set<string>();
  const maxPages = options.maxPages ?? 100_000;
  const fetchPage = (url: string, index: number): Promise<RawPage> => {
    if (seen.has(url)) return Promise.reject(new AppError("UPSTREAM_UNAVAILABLE", { detail: `Lightspeed sent the same page link twice while reading ${options.what}; stopped to avoid a loop`, context: { url } }));
    if (index >= maxPages) return Promise.reject(new AppError("UPSTREAM_UNAVAILABLE", { detail: `Reading ${options.what} did not finish within ${maxPages} pages; stopped to avoid a loop` }));
    seen.add(url);
    return transport.get(url, { cost: options.cost, what: options.what }).then((body) => {
      if (!attributes.safeParse(body).success || body === null || typeof body !== "object") {
        throw new AppError("UPSTREAM_UNAVAILABLE", { detail: `Lightspeed answered ${options.what} with something that is not a list page` });
      }
      return { body: body as Record<string, unknown>, url, index };
    });
  };
  const nextOf = (page: RawPage): string | undefined => {
    const next = attributes.parse(page.body)["@attributes"]?.next;
    return next && next.length > 0 ? next : undefined;
  };
  let current: Promise<RawPage> | null = fetchPage(firstUrl, 0);
  while (current) {
    const page: RawPage = await current;
    const next = nextOf(page);
    // The next page is requested while the caller works on this one (still one request in flight per bucket).
    current = next ? fetchPage(next, page.index + 1) : null;
    current?.catch(() => undefined);
    yield page;
  }
}
