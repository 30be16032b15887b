/**
 * # The front: what listens on the public port
 *
 * `Deno.serve` answers every request in this order (a Host header that is not a host name is refused
 * first, 400):
 * 1. `/socket.io/` goes through the hop to the socket server (`lib/socket_hop.ts`);
 * 2. a kept anonymous shop page is answered from memory (`lib/fast_pages.ts`);
 * 3. everything else goes to the Hono app, with `Deno.serve`'s handler info as its env (`ServeEnv`,
 *    whose `remoteAddr` is the client's address for rate limits and trusted proxies).
 */
import { answerKeptPage, type FastPagesOptions, pathAndQuery } from "./fast_pages.ts";
import { forwardToSockets, type SocketHop } from "./socket_hop.ts";
import type { ServeEnv } from "./proxy.ts";
import { msg, pickLocale, render } from "../i18n/messages.ts";

/** What the front hands requests to. */
export interface FrontOptions {
  pages: FastPagesOptions;
  hop: SocketHop;
  app: { fetch(req: Request, env: ServeEnv): Response | Promise<Response> };
}

/**
 * A Host header that is a host name or address with an optional port. `Deno.serve` builds the request's
 * URL from it, so anything else (`x/socket.io/?…`) could change the path every later step routes by.
 */
const VALID_HOST = /^(?:[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The `Deno.serve` handler of the public port. */
export function frontHandler(options: FrontOptions): Deno.ServeHandler<Deno.NetAddr> {
  return (req, info) => {
    const host = req.headers.get("host");
    if (host !== null && !VALID_HOST.test(host)) {
      const message = render(pickLocale(undefined, req.headers.get("accept-language")), msg("err.badHost"));
      return Response.json({ error: { code: "invalid_input", message } }, { status: 400 });
    }
    const peer = info.remoteAddr.hostname;
    if (pathAndQuery(req.url).startsWith("/socket.io/")) return forwardToSockets(req, peer, options.hop);
    return answerKeptPage(req, peer, options.pages) ?? options.app.fetch(req, info);
  };
}
