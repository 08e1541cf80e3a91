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
  let url: string | undefined = firstUrl;
  let index = 0;
  const maxPages = options.maxPages ?? 100_000;
  while (url) {
    if (seen.has(url)) throw new AppError("UPSTREAM_UNAVAILABLE", { detail: `Lightspeed sent the same page link twice while reading ${options.what}; stopped to avoid a loop`, context: { url } });
    if (index >= maxPages) throw new AppError("UPSTREAM_UNAVAILABLE", { detail: `Reading ${options.what} did not finish within ${maxPages} pages; stopped to avoid a loop` });
    seen.add(url);
    const body = await transport.get(url, { cost: options.cost, what: options.what });
    const parsed = attributes.safeParse(body);
    if (!parsed.success || body === null || typeof body !== "object") {
      throw new AppError("UPSTREAM_UNAVAILABLE", { detail: `Lightspeed answered ${options.what} with something that is not a list page` });
    }
    yield { body: body as Record<string, unknown>, url, index };
    index++;
    const next: string | undefined = parsed.data["@attributes"]?.next;
    url = next && next.length > 0 ? next : undefined;
  }
}
